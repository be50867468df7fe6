package dev.eventfold.benchmarks;

import java.util.List;
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
 * Appending to many order streams with the exact expected version: one operation = one append of {@code batch}
 * events (events/s = ops/s × batch). Each thread writes its own 100 streams round-robin, so threads never conflict and
 * the number measures the write path. Durable commits (whatever the server's fsync and synchronous_commit are: the
 * run prints them). Threads with {@code -t 1}, {@code -t 4}, {@code -t 16}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AppendBenchmark -t 4 -rf json -rff append-t4.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 3, time = 4)
public class AppendBenchmark {

    @Param({"floor", "eventstore", "axon"})
    public String store;

    @Param({"1", "10", "100"})
    public int batch;

    BenchmarkStore target;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        target = BenchmarkStore.create(store);
        try (var pool = BenchmarkDatabase.pool(2, null)) {
            System.out.println("settings: " + BenchmarkDatabase.settings(pool));
        }
    }

    @TearDown(Level.Trial)
    public void drop() {
        target.close();
    }

    /** One writer's streams and their versions. */
    @State(Scope.Thread)
    public static class Writer {
        String prefix;
        long[] versions = new long[100];
        int next;

        @Setup(Level.Trial)
        public void init(AppendBenchmark benchmark) {
            prefix = "w" + benchmark.threads.incrementAndGet() + "-" + System.nanoTime() + "-";
            java.util.Arrays.fill(versions, -1);
        }
    }

    @Benchmark
    public long append(Writer writer) {
        int stream = writer.next;
        writer.next = (stream + 1) % writer.versions.length;
        long expected = writer.versions[stream];
        String orderId = writer.prefix + stream;
        List<dev.eventfold.orders.OrderEvent> events = Events.range(orderId, expected + 1, batch);
        target.append(orderId, expected, events);
        writer.versions[stream] = expected + batch;
        return writer.versions[stream];
    }
}
