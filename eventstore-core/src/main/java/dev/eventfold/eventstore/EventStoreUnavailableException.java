package dev.eventfold.eventstore;

/**
 * The store could not be reached or did not answer in time (for a database-backed store: the pool could not hand out
 * a connection, the connection broke, the server is down). Whether an append took effect is unknown when this is
 * thrown from {@code append}: retry it with the same event ids, which is safe because appends are idempotent.
 *
 * <p>Immutable.
 */
public final class EventStoreUnavailableException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param what what could not be done and the state that explains it (e.g. the pool's state), never payloads
     * @param cause the underlying failure
     */
    public EventStoreUnavailableException(String what, Throwable cause) {
        super("Event store unavailable: " + what, cause);
    }
}
