package dev.eventfold.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Projection catch-up: a new projector reads the whole store ({@code events} events over orders of 100 events each)
 * from the start and upserts one read-model row per event ({@link ReadModel}), in transactions of 500 events that
 * also move its checkpoint. One operation = one full catch-up, timed once (single shot); events/s = events / time.
 * {@code floor}: a raw JDBC loop over {@code global_position} pages; {@code eventstore}: {@code ProjectionRunner} with
 * {@code PostgresProjectionStore} (gap-safe log reads, fenced lease); {@code axon}: a {@code TrackingEventProcessor}
 * with a {@code JdbcTokenStore} in the same transaction.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProjectionBenchmark -rf json -rff projection.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ProjectionBenchmark {

    @Param({"floor", "eventstore", "axon"})
    public String store;

    @Param({"100000"})
    public int events;

    /**
     * {@code per-event}: one upsert per event, sent at once; {@code pipelined}: one upsert per event, sent together at
     * the end of the transaction ({@code PipelinedWrites} for Eventfold); {@code batched}: rows kept per order,
     * upserted once per transaction.
     */
    @Param({"per-event", "pipelined", "batched"})
    public String writes;

    static final int BATCH = 500;

    private BenchmarkStore target;
    private ReadModel model;
    private final AtomicInteger runs = new AtomicInteger();
    private String name;

    @Setup(Level.Trial)
    public void write() {
        target = BenchmarkStore.create(store);
        int orders = Math.max(1, events / 100);
        for (int order = 0; order < orders; order++) {
            int count = Math.min(100, events - order * 100);
            target.append("p" + order, -1, Events.range("p" + order, 0, count));
        }
    }

    @Setup(Level.Invocation)
    public void newProjector() {
        name = "catchup_" + runs.incrementAndGet();
        model = new ReadModel(target.dataSource(), target.schema() + ".rm_" + name, writes);
    }

    @TearDown(Level.Invocation)
    public void check() {
        long projected = model.rows(target.dataSource());
        model.drop(target.dataSource());
        if (projected != events) {
            throw new IllegalStateException(store + " projected " + projected + " of " + events + " events");
        }
    }

    @TearDown(Level.Trial)
    public void drop() {
        target.close();
    }

    @Benchmark
    public void catchUp() throws Exception {
        target.catchUp(name, model, events, BATCH);
    }
}
