package dev.eventfold.eventstore;

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
}
