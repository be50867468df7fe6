package dev.eventfold.benchmarks;

import dev.eventfold.orders.Order;
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
 * Rebuilding one order aggregate from its stream: read every event, deserialize every payload (about 250 bytes of
 * JSON), fold with the order decider. One operation = one load. Stream lengths 10 to 10,000; the floor (raw JDBC), Eventfold
 * without snapshots, with snapshots every 100 events, with snapshots and the cache, and Axon 4.13, in the same fork on
 * the same PostgreSQL. One thread.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ReconstructionBenchmark -rf json -rff reconstruction.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ReconstructionBenchmark {

    @Param({"floor", "eventstore", "eventstore-snapshots", "eventstore-snapshots-cache", "axon"})
    public String store;

    @Param({"10", "100", "1000", "10000"})
    public int events;

    private BenchmarkStore target;
    private final String orderId = "bench-1";

    @Setup(Level.Trial)
    public void write() {
        target = BenchmarkStore.create(store);
        for (int from = 0; from < events; from += 500) {
            int count = Math.min(500, events - from);
            target.append(orderId, from - 1, Events.range(orderId, from, count));
        }
        Order order = target.load(orderId);
        if (order.lines().isEmpty()) {
            throw new IllegalStateException(store + " rebuilt an empty order");
        }
    }

    @TearDown(Level.Trial)
    public void drop() {
        target.close();
    }

    @Benchmark
    public Order load() {
        return target.load(orderId);
    }
}
