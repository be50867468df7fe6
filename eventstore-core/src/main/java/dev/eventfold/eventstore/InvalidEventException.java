package dev.eventfold.eventstore;

/**
 * The events of an append are malformed or break a configured limit: a missing or blank event id or type, a payload
 * that is not well-formed JSON or is too large, an empty batch, too many events, the same event id twice in one batch.
 * The whole append was rejected and nothing was written.
 *
 * <p>The message names the stream (when known), the event's index and id (when known), and the rule, for example
 * {@code Invalid event: stream 'order-1' event #2 (id 6f1c…): payload is 2000000 bytes, the limit is 1048576}.
 * It never quotes payload or metadata content.
 *
 * <p>Immutable.
 */
public final class InvalidEventException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong, naming the field or event and the rule
     */
    public InvalidEventException(String problem) {
        super("Invalid event", problem);
    }
}
