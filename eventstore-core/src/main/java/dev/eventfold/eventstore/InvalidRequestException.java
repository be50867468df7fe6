package dev.eventfold.eventstore;

/**
 * A call was rejected because an argument is malformed or outside a configured limit: a blank or ill-formed stream
 * id, a negative version, a page size out of range. Nothing was read or written.
 *
 * <p>The message names the argument, the value's problem and the rule it breaks, for example
 * {@code Invalid request: maxCount must be between 1 and 1000, was 0}. Values that may hold personal data (payloads,
 * metadata) are never quoted.
 *
 * <p>Problems with the events of an append are the subclass {@link InvalidEventException}.
 *
 * <p>Immutable.
 */
public class InvalidRequestException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong, naming the argument and the rule
     */
    public InvalidRequestException(String problem) {
        super("Invalid request: " + problem);
    }

    /**
     * Creates the exception with a prefix of the subclass's own.
     *
     * @param prefix the kind of invalid input, e.g. {@code "Invalid event"}
     * @param problem what is wrong, naming the argument and the rule
     */
    protected InvalidRequestException(String prefix, String problem) {
        super(prefix + ": " + problem);
    }
}
