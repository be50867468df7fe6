package dev.eventfold.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * Live projection latency across processes: this JVM appends one event to a new order, a {@link LiveSubscriber} in
 * another JVM (started by the benchmark) handles it and says so on its standard output, which this JVM reads. One
 * operation = append call start → handler ran in the other process (+ one pipe hop back, tens of µs). Sample time,
 * so JMH reports p50/p99. {@code floor}: INSERT + NOTIFY in one statement, a raw LISTEN loop; {@code eventstore}: the
 * store's append and a subscription woken by LISTEN/NOTIFY; {@code axon}: a tracking processor with its default fetch
 * delay (Axon has no cross-process push on JDBC).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProjectionLiveBenchmark -rf json -rff live.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ProjectionLiveBenchmark {

    @Param({"floor", "eventstore", "axon"})
    public String store;

    private BenchmarkStore target;
    private Process subscriber;
    private BufferedReader seen;
    private long next;

    @Setup(Level.Trial)
    public void start() throws IOException {
        target = BenchmarkStore.create(store);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        subscriber = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LiveSubscriber.class.getName(), store, target.schema())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        seen = new BufferedReader(new InputStreamReader(subscriber.getInputStream(), StandardCharsets.UTF_8));
        awaitLine("ready");
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        subscriber.destroy();
        subscriber.waitFor(10, TimeUnit.SECONDS);
        target.close();
    }

    @Benchmark
    public void appendToHandler() throws IOException {
        String orderId = "live" + next++;
        List<dev.eventfold.orders.OrderEvent> events = Events.range(orderId, 0, 1);
        if (target instanceof FloorStore floor) {
            floor.appendAndNotify(orderId, events);
        } else {
            target.append(orderId, -1, events);
        }
        awaitLine(orderId);
    }

    private void awaitLine(String expected) throws IOException {
        String line;
        while ((line = seen.readLine()) != null) {
            if (line.equals("@@" + expected)) {
                return;
            }
        }
        throw new IllegalStateException("the subscriber process ended before it saw " + expected);
    }
}
