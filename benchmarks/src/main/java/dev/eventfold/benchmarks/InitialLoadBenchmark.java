package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.StreamImport;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
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
 * Migrating a history into a new store: {@code streams} order streams of 100 events (by default 1,000: 100,000 events)
 * into an <b>empty</b>, freshly migrated schema per operation, through {@link StreamImport#initialLoad()} (one
 * transaction, indexes built after the rows), a plain {@link StreamImport} (5,000 events per transaction, indexes
 * maintained row by row) or as one append of 100 events per stream with {@code ExpectedVersion.noStream()} (what a
 * migration without an import API does).
 * One thread. The score is the time of one whole load; the report turns it into events/s.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar InitialLoadBenchmark -rf json -rff initial-load.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class InitialLoadBenchmark {

    static final int EVENTS = 100;

    /** Streams of 100 events per load: 1,000 is 100,000 events. */
    @Param("1000")
    public int streams;

    @Param({"initial-load", "import", "batches"})
    public String kind;

    private HikariDataSource pool;
    private final List<StreamImport.Stream> history = new ArrayList<>();
    private String schema;
    private PostgresEventStore store;

    @Setup(Level.Trial)
    public void start() {
        pool = BenchmarkDatabase.pool(4, null);
        for (int s = 0; s < streams; s++) {
            String order = "m" + s;
            List<EventData> events = new ArrayList<>(EVENTS);
            for (OrderEvent event : Events.range(order, 0, EVENTS)) {
                events.add(Orders.EVENT_TYPES.toEventData(event, Metadata.empty()));
            }
            history.add(StreamImport.Stream.of(Orders.CATEGORY + "-" + order, events));
        }
    }

    /** The same history goes into a new, empty schema each time, so its event ids never clash. */
    @Setup(Level.Iteration)
    public void emptyStore() {
        schema = BenchmarkDatabase.newSchemaName("load");
        PostgresEventStoreMigrator.migrate(pool, schema);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @Benchmark
    public long load() {
        switch (kind) {
            case "initial-load":
                return StreamImport.into(store).initialLoad().run(history.iterator()).events();
            case "import":
                return StreamImport.into(store).run(history.iterator()).events();
            case "batches":
                long written = 0;
                for (StreamImport.Stream stream : history) {
                    List<EventData> events = new ArrayList<>(EVENTS);
                    stream.events().forEach(event -> events.add(event.data()));
                    written += store.append(stream.streamId(), ExpectedVersion.noStream(), events)
                            .nextExpectedVersion() + 1;
                }
                return written;
            default:
                throw new IllegalArgumentException("kind " + kind);
        }
    }

    @TearDown(Level.Iteration)
    public void dropStore() {
        store.close();
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.close();
    }
}
