package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresKeyStore;
import dev.eventfold.eventstore.privacy.KeyEncryption;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.PersonalData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of crypto-shredding ({@code docs/compliance.md}): the same PostgreSQL store with and without
 * {@link PersonalDataProtection} (keys in {@link PostgresKeyStore}, no KMS), in the same fork. {@code append}: one
 * {@code OrderPlaced} with a customer's name, e-mail and address to a new stream, customers taken in turn from 1,000
 * whose keys exist (the protected path reads the customer's current key, then encrypts one field). {@code load}: an
 * order of 10 events whose first carries the customer's data, rebuilt without cache or snapshots (the protected path
 * decrypts one field with a cached key). The floor of each is the unprotected row; the report gives the ratio.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PersonalDataBenchmark -rf json -rff personal-data.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class PersonalDataBenchmark {

    private static final int CUSTOMERS = 1_000;
    private static final int LOADED_ORDERS = 100;

    @Param({"off", "on"})
    public String protection;

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore raw;
    private EventStore store;
    private AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private long next;
    private int loadNext;
    private final String run = Long.toString(System.nanoTime(), 36);

    @Setup(Level.Trial)
    public void setUp() {
        pool = BenchmarkDatabase.pool(8, null);
        schema = BenchmarkDatabase.newSchemaName("pd");
        PostgresEventStoreMigrator.migrate(pool, schema);
        raw = PostgresEventStore.builder(pool).schema(schema).build();
        store = raw;
        if (protection.equals("on")) {
            store = PersonalDataProtection.create(Orders.PERSONAL_DATA,
                    PostgresKeyStore.create(pool, schema, KeyEncryption.none())).protect(raw);
        }
        orders = AggregateRepository.builder(store, Orders.DECIDER, Orders.EVENT_TYPES).category(Orders.CATEGORY)
                .build();
        for (int i = 0; i < CUSTOMERS; i++) {
            append(); // makes every customer's key before measuring (a new customer's first order makes one)
        }
        for (int i = 0; i < LOADED_ORDERS; i++) {
            String orderId = "load-" + i;
            List<EventData> events = new ArrayList<>();
            events.add(data(placed(orderId, "c-" + i)));
            for (OrderEvent event : Events.range(orderId, 1, 9)) {
                events.add(data(event));
            }
            store.append(Orders.CATEGORY + "-" + orderId, ExpectedVersion.noStream(), events);
        }
        if (orders.load("load-0").state().customer() == null) {
            throw new IllegalStateException("the customer's data did not survive the round trip");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        orders.close();
        raw.close();
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
        pool.close();
    }

    private static OrderEvent placed(String orderId, String customerId) {
        OrderEvent.OrderPlaced plain = (OrderEvent.OrderPlaced) Events.event(orderId, 0);
        return new OrderEvent.OrderPlaced(orderId, customerId, Events.EUR, plain.lines(), new PersonalData("Ada Lovelace", "ada@example.org",
                new PersonalData.Address("12 Analytical St", null, "London", "N1 7AA", "GB")), plain.at());
    }

    private static EventData data(OrderEvent event) {
        return Orders.EVENT_TYPES.toEventData(event, Metadata.empty());
    }

    @Benchmark
    public long append() {
        long n = next++;
        String orderId = run + "-" + n;
        return store.append(Orders.CATEGORY + "-" + orderId, ExpectedVersion.noStream(),
                data(placed(orderId, "c-" + (n % CUSTOMERS)))).nextExpectedVersion();
    }

    @Benchmark
    public Order load() {
        loadNext = (loadNext + 1) % LOADED_ORDERS;
        return orders.load("load-" + loadNext).state();
    }
}
