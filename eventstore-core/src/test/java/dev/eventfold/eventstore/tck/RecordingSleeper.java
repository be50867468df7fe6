package dev.eventfold.eventstore.tck;

import dev.eventfold.eventstore.projection.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Sleeper} for tests: records every wait and returns after at most 5 ms of real time, so retries and backoff
 * are observed without sleeping through them.
 */
public final class RecordingSleeper implements Sleeper {

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration, Object wakeUp) throws InterruptedException {
        waits.add(duration);
        synchronized (wakeUp) {
            wakeUp.wait(Math.min(5, Math.max(1, duration.toMillis())));
        }
    }

    /** @return every wait so far, in order */
    public List<Duration> waits() {
        return List.copyOf(waits);
    }
}
