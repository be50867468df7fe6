package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.StreamImport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading history from another store: 50 new streams of 100 order events each (5,000 events) per operation, either
 * through {@link StreamImport} (one transaction, {@code COPY}) or as 50 appends of 100 events with
 * {@code ExpectedVersion.noStream()} (what a migration without an import API does). Throughput per event: the score
 * is events/s. Each kind writes into a fresh schema of its own.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ImportBenchmark -rf json -rff import.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ImportBenchmark {

    static final int STREAMS = 50;
    static final int EVENTS = 100;

    @Param({"import", "batches"})
    public String kind;

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;
    private long nextStream;
    private List<StreamImport.Stream> chunk;

    @Setup(Level.Trial)
    public void start() {
        schema = BenchmarkDatabase.newSchemaName("import");
        pool = BenchmarkDatabase.pool(4, null);
        PostgresEventStoreMigrator.migrate(pool, schema);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @Setup(Level.Invocation)
    public void nextStreams() {
        chunk = new ArrayList<>(STREAMS);
        for (int s = 0; s < STREAMS; s++) {
            String order = "i" + nextStream++;
            List<EventData> events = new ArrayList<>(EVENTS);
            for (dev.eventfold.orders.OrderEvent event : Events.range(order, 0, EVENTS)) {
                events.add(dev.eventfold.orders.Orders.EVENT_TYPES.toEventData(event,
                        dev.eventfold.eventstore.Metadata.empty()));
            }
            chunk.add(StreamImport.Stream.of(dev.eventfold.orders.Orders.CATEGORY + "-" + order, events));
        }
    }

    @Benchmark
    @OperationsPerInvocation(STREAMS * EVENTS)
    public long load() {
        if (kind.equals("import")) {
            return StreamImport.into(store).eventsPerTransaction(STREAMS * EVENTS).run(chunk.iterator()).events();
        }
        long written = 0;
        for (StreamImport.Stream stream : chunk) {
            List<EventData> events = new ArrayList<>(EVENTS);
            stream.events().forEach(event -> events.add(event.data()));
            written += store.append(stream.streamId(), ExpectedVersion.noStream(), events).nextExpectedVersion() + 1;
        }
        return written;
    }

    @TearDown(Level.Trial)
    public void stop() {
        store.close();
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
        pool.close();
    }
}
