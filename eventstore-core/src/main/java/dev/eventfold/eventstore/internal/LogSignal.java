package dev.eventfold.eventstore.internal;

import java.time.Duration;

/**
 * What a follower of the log sleeps on when it is caught up: a counter that {@link #signal()} moves (the store's
 * {@code watchLog} calls it when the log may have grown) and a wait for it to move past the value seen <em>before</em>
 * the last read, so a signal sent between that read and the wait is never missed. A hint only: events can become
 * readable without a signal (an older transaction ends), so followers also wait no longer than their back-off.
 * Thread-safe.
 */
public final class LogSignal {

    /** The first back-off of a caught-up follower; it doubles up to the follower's maximum. */
    public static final Duration MIN_POLL = Duration.ofMillis(10);

    private long generation;
    private boolean stopping;

    /** @return the current value, to pass to {@link #await} after a read that came back empty */
    public synchronized long generation() {
        return generation;
    }

    /** The log may have grown: wakes every waiter. */
    public synchronized void signal() {
        generation++;
        notifyAll();
    }

    /** Wakes every waiter now and makes every later {@link #await} return at once. */
    public synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    /**
     * Waits until the counter moves past {@code seen}, {@link #stop()} is called, or {@code timeout} ends.
     *
     * @param seen what {@link #generation()} said before the read that came back empty
     * @param timeout the longest wait, or null for none (a store whose every new event is signalled)
     * @return true if signalled (or stopped), false on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public synchronized boolean await(long seen, Duration timeout) throws InterruptedException {
        if (timeout == null) {
            while (generation == seen && !stopping) {
                wait();
            }
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generation == seen && !stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
        return true;
    }

    /**
     * The back-off of a follower that found nothing {@code idleRounds} times in a row: {@link #MIN_POLL}, doubling,
     * at most {@code max}; null (no timeout) when {@code max} is null.
     *
     * @param idleRounds empty reads in a row
     * @param max the longest wait, or null for none
     * @return the wait before the next read
     */
    public static Duration backoff(int idleRounds, Duration max) {
        if (max == null) {
            return null;
        }
        long millis = MIN_POLL.toMillis() << Math.min(idleRounds, 16);
        return millis >= max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
