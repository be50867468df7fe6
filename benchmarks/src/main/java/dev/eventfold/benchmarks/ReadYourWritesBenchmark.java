package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
 * Read-your-writes on a quiet store: append one event, then wait until a projection ({@link ProjectionRunner}, one
 * row per event, checkpoint in the same transaction) has applied it ({@code awaitPosition}), as the server's
 * {@code Prefer: read-your-writes} does. One operation = append start → the projection's checkpoint seen past it.
 * Sample time, so JMH reports p50/p99. {@code pause} is how long the store stays quiet between operations: 0 measures
 * a runner that never got to back off; 50 ms one that did (its poll interval grows from 10 ms to 500 ms when idle).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ReadYourWritesBenchmark -rf json -rff ryw.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ReadYourWritesBenchmark {

    @Param({"0", "50"})
    public int pause;

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;
    private ProjectionRunner<Connection> runner;
    private long next;

    @Setup(Level.Trial)
    public void start() {
        schema = BenchmarkDatabase.newSchemaName("ryw");
        pool = BenchmarkDatabase.pool(8, null);
        PostgresEventStoreMigrator.migrate(pool, schema);
        BenchmarkDatabase.execute(pool, "CREATE TABLE " + schema + ".seen (stream_id text PRIMARY KEY, version bigint)");
        store = PostgresEventStore.builder(pool).schema(schema).build();
        String upsert = "INSERT INTO " + schema + ".seen VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET version "
                + "= excluded.version";
        runner = ProjectionRunner.builder(store, PostgresProjectionStore.create(pool, schema), "ryw",
                new Projection<Connection>() {
                    @Override
                    public EventFilter filter() {
                        return EventFilter.category("ryw");
                    }

                    @Override
                    public void apply(ProjectionContext<Connection> context, RecordedEvent event)
                            throws SQLException {
                        try (PreparedStatement statement = context.transaction().prepareStatement(upsert)) {
                            statement.setString(1, event.streamId());
                            statement.setLong(2, event.streamVersion());
                            statement.executeUpdate();
                        }
                    }
                }).build();
        runner.start();
    }

    @Setup(Level.Invocation)
    public void quiet() throws InterruptedException {
        if (pause > 0) {
            Thread.sleep(pause);
        }
    }

    @Benchmark
    public boolean appendThenAwaitProjection() throws InterruptedException {
        AppendResult result = store.append("ryw-" + next++, ExpectedVersion.noStream(),
                EventData.of("Placed", "{\"n\":1}"));
        if (!runner.awaitPosition(result.lastLogPosition(), Duration.ofSeconds(10))) {
            throw new IllegalStateException("the projection did not get there in 10 s");
        }
        return true;
    }

    @TearDown(Level.Trial)
    public void stop() {
        runner.close();
        store.close();
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
        pool.close();
    }
}
