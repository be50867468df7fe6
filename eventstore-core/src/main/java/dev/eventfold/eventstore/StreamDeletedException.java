package dev.eventfold.eventstore;

import java.util.Objects;

/**
 * The stream was deleted: for good (tombstoned, see {@link StreamAdministration#tombstone}), when it can be neither
 * read nor appended to and its id can never be used again; or soft-deleted ({@link StreamAdministration#softDelete},
 * {@link #restorable()}), when the same holds until an administrator restores it. Nothing was written.
 *
 * <p>Immutable.
 */
public final class StreamDeletedException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The deleted stream. */
    private final String streamId;

    /** Whether it was soft-deleted (and can be restored). */
    private final boolean restorable;

    /**
     * Creates the exception for a tombstoned stream.
     *
     * @param streamId the deleted stream
     */
    public StreamDeletedException(String streamId) {
        this(streamId, false);
    }

    /**
     * Creates the exception.
     *
     * @param streamId the deleted stream
     * @param restorable {@code true} if it was soft-deleted, {@code false} if tombstoned
     */
    public StreamDeletedException(String streamId, boolean restorable) {
        super(restorable ? "Stream '" + streamId + "' is soft-deleted; it cannot be read or appended to until it is "
                + "restored" : "Stream '" + streamId + "' is deleted (tombstoned); it cannot be read or appended to");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.restorable = restorable;
    }

    /** @return {@code true} if the stream was soft-deleted and can be restored, {@code false} if tombstoned */
    public boolean restorable() {
        return restorable;
    }

    /** @return the deleted stream */
    public String streamId() {
        return streamId;
    }
}
