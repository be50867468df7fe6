package dev.eventfold.eventstore;

import java.util.Objects;
import java.util.UUID;

/**
 * An appended event id is already stored, but not as a retry of the same append: either at another place (another
 * stream, or another version of the same stream), or with other content (type, payload or metadata). Nothing was
 * written.
 *
 * <p>An exact retry (the same events, with the same ids, content and place) is not an error: it succeeds without
 * writing anything and returns the original {@link AppendResult}.
 *
 * <p>Immutable.
 */
public final class DuplicateEventException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    private final UUID eventId;
    private final String streamId;
    private final String storedStreamId;
    private final long storedVersion;

    /**
     * Creates the exception.
     *
     * @param eventId the event id that is already stored
     * @param streamId the stream the caller tried to append to
     * @param storedStreamId the stream in which the id is stored
     * @param storedVersion the stream version at which the id is stored
     * @param reason why the append is not a retry, e.g. {@code "different content"}; never payload text
     */
    public DuplicateEventException(UUID eventId, String streamId, String storedStreamId, long storedVersion,
            String reason) {
        super("Duplicate event " + eventId + " appended to stream '" + streamId + "': already stored in stream '"
                + storedStreamId + "' at version " + storedVersion + " (" + reason + ")");
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.storedStreamId = Objects.requireNonNull(storedStreamId, "storedStreamId");
        this.storedVersion = storedVersion;
    }

    /** @return the event id that is already stored */
    public UUID eventId() {
        return eventId;
    }

    /** @return the stream the caller tried to append to */
    public String streamId() {
        return streamId;
    }

    /** @return the stream in which the event id is stored */
    public String storedStreamId() {
        return storedStreamId;
    }

    /** @return the stream version at which the event id is stored */
    public long storedVersion() {
        return storedVersion;
    }
}
