package dev.eventfold.eventstore;

/**
 * A registration made with {@link EventStore#watchLog(Runnable)}: closing it stops the calls. Idempotent.
 */
@FunctionalInterface
public interface LogWatch extends AutoCloseable {

    /** The watch of a store that cannot tell when its log grows: it never calls. */
    LogWatch NONE = () -> { };

    /** Stops the calls; a call already running finishes. */
    @Override
    void close();
}
