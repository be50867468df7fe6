package dev.eventfold.eventstore;

/**
 * Root of every exception the event store API throws. It is unchecked, and each subclass names what failed and
 * carries the identifiers (stream id, versions, event ids) as structured fields.
 *
 * <p>Messages are built by each subclass's constructor from those fields, so every store words the same failure the
 * same way. Messages carry ids, versions and positions, never event payloads or metadata values, so they are safe to
 * log.
 *
 * <p>Instances are immutable once thrown.
 */
public abstract class EventStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message.
     *
     * @param message the complete message, built by the subclass
     */
    protected EventStoreException(String message) {
        super(message);
    }

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message the complete message, built by the subclass
     * @param cause the underlying failure, or {@code null}
     */
    protected EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
