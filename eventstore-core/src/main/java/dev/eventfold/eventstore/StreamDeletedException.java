package dev.eventfold.eventstore;

import java.util.Objects;

/**
 * The stream was deleted for good (tombstoned, see {@link StreamAdministration#tombstone}): it can be neither read
 * nor appended to, and its id can never be used again. Nothing was written.
 *
 * <p>Immutable.
 */
public final class StreamDeletedException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The tombstoned stream. */
    private final String streamId;

    /**
     * Creates the exception.
     *
     * @param streamId the deleted stream
     */
    public StreamDeletedException(String streamId) {
        super("Stream '" + streamId + "' is deleted (tombstoned); it cannot be read or appended to");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
    }

    /** @return the deleted stream */
    public String streamId() {
        return streamId;
    }
}
