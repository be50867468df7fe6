package dev.eventfold.server.health;

import dev.eventfold.server.config.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the server's dependencies (database, Redis, event store), each on a worker thread bounded by
 * {@code healthCheck.timeout}, so a probe never hangs on a dead dependency. A result is reused for 500 ms, so probes
 * cannot pile up on a slow dependency. With {@code healthChecks.enabled}, every {@code healthCheck.interval} a
 * background round runs and logs each change of state.
 */
public final class HealthChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);
    private static final long REUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A check: returns when the dependency answered, throws otherwise. */
    @FunctionalInterface
    public interface Check {
        /** @throws Exception when the dependency did not answer */
        void run() throws Exception;
    }

    private final Duration timeout;
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Map<String, Entry> last = new LinkedHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("health-check"));
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            daemon("health-round"));

    private record Entry(DependencyHealth health, long at) {
    }

    /**
     * @param settings timeout, interval and whether the background round runs
     * @param database the database check
     * @param redis the Redis check
     * @param eventStore the event store check (reads the reader horizon)
     */
    public HealthChecks(ServerConfig.Health settings, Check database, Check redis, Check eventStore) {
        this.timeout = settings.timeout();
        checks.put("database", database);
        checks.put("redis", redis);
        checks.put("eventStore", eventStore);
        if (settings.enabled()) {
            long period = settings.interval().toMillis();
            background.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private void round() {
        try {
            checks.keySet().forEach(name -> check(name, true));
        } catch (RuntimeException e) {
            LOG.warn("health round failed: {}", e.toString());
        }
    }

    /**
     * @param name {@code database}, {@code redis} or {@code eventStore}
     * @return the dependency's state, at most 500 ms old
     */
    public DependencyHealth check(String name) {
        return check(name, false);
    }

    private DependencyHealth check(String name, boolean fresh) {
        Entry previous;
        synchronized (last) {
            previous = last.get(name);
        }
        if (!fresh && previous != null && System.nanoTime() - previous.at() < REUSE_NANOS) {
            return previous.health();
        }
        DependencyHealth health = run(checks.get(name));
        synchronized (last) {
            last.put(name, new Entry(health, System.nanoTime()));
        }
        if (previous != null && previous.health().healthy() != health.healthy()) {
            if (health.healthy()) {
                LOG.info("{} is healthy again ({} ms)", name, health.responseTime());
            } else {
                LOG.warn("{} became unhealthy: {}", name, health.error());
            }
        }
        return health;
    }

    /** @return every dependency's state, checked in parallel */
    public Map<String, DependencyHealth> checkAll() {
        Map<String, Future<DependencyHealth>> running = new LinkedHashMap<>();
        checks.keySet().forEach(name -> running.put(name, workers.submit(() -> check(name))));
        Map<String, DependencyHealth> results = new LinkedHashMap<>();
        running.forEach((name, future) -> {
            try {
                results.put(name, future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.put(name, failed(0, e));
            } catch (ExecutionException e) {
                results.put(name, failed(0, e.getCause()));
            }
        });
        return results;
    }

    /** @return the last known state of a dependency, or null before its first check */
    public DependencyHealth lastKnown(String name) {
        synchronized (last) {
            Entry entry = last.get(name);
            return entry == null ? null : entry.health();
        }
    }

    private DependencyHealth run(Check check) {
        long started = System.nanoTime();
        Future<?> future = workers.submit(() -> {
            check.run();
            return null;
        });
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DependencyHealth("healthy", elapsedMillis(started), Instant.now(), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new DependencyHealth("unhealthy", elapsedMillis(started), Instant.now(),
                    "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return failed(started, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return failed(started, e);
        }
    }

    private static DependencyHealth failed(long started, Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return new DependencyHealth("unhealthy", started == 0 ? 0 : elapsedMillis(started), Instant.now(),
                e.getClass().getSimpleName() + message);
    }

    private static long elapsedMillis(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void close() {
        background.shutdownNow();
        workers.shutdownNow();
    }
}
