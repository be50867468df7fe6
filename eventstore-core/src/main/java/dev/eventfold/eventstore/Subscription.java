package dev.eventfold.eventstore;

import java.time.Duration;
import java.util.Optional;

/**
 * A running catch-up-then-live delivery of events to one {@link EventHandler}, from {@link EventStore#subscribe}.
 *
 * <p>Delivery is in log order, each event exactly once while the subscription runs: first every stored event after
 * the starting position, then new events as they are appended, with no gap between the two phases. It ends when
 * {@link #close()} is called, when the handler throws, or when the store is closed.
 *
 * <p>Thread-safe.
 */
public interface Subscription extends AutoCloseable {

    /**
     * Stops delivery. Blocks until the handler is not running (unless called from the handler itself). Idempotent.
     */
    @Override
    void close();

    /** @return {@code true} until the subscription has stopped for any reason */
    boolean isRunning();

    /** @return the handler's exception if that is why the subscription stopped, otherwise empty */
    Optional<Throwable> failure();

    /**
     * @return the log position of the last event the handler completed, or the starting position if none: subscribe
     *     after it to resume without loss or duplicates
     */
    LogPosition position();

    /**
     * Read-your-writes for a subscriber: waits until the handler has completed every event up to {@code target} (an
     * append's {@link AppendResult#lastLogPosition()}) that this subscription's filter selects. Events outside the
     * filter count as passed once the target is readable.
     *
     * @param target a log position
     * @param timeout how long to wait at most
     * @return whether the handler got there in time; {@code false} as well if the subscription stopped first
     * @throws InterruptedException if interrupted while waiting
     * @throws InvalidRequestException if an argument is missing or the timeout negative
     */
    boolean awaitPosition(LogPosition target, Duration timeout) throws InterruptedException;
}
