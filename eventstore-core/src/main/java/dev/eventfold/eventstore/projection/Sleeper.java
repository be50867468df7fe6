package dev.eventfold.eventstore.projection;

import java.time.Duration;

/**
 * How a runner waits between attempts and polls. Injected so tests drive retries and backoff without sleeping:
 * a fake records the durations and returns at once.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for {@code duration}, or less if {@code wakeUp} is signalled.
     *
     * @param duration how long
     * @param wakeUp an object whose monitor the runner notifies to cut the wait short (stop, new work)
     * @throws InterruptedException if interrupted
     */
    void sleep(Duration duration, Object wakeUp) throws InterruptedException;

    /** @return a sleeper that waits on the wake-up object's monitor in real time */
    static Sleeper system() {
        return (duration, wakeUp) -> {
            long millis = Math.max(1, duration.toMillis());
            synchronized (wakeUp) {
                wakeUp.wait(millis);
            }
        };
    }
}
