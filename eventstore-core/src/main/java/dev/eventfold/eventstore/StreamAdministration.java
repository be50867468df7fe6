package dev.eventfold.eventstore;

/**
 * Destructive operations on streams, kept apart from {@link EventStore} so that the append-and-read path cannot reach
 * them by accident; wire them only into administrative code paths. A store that supports them implements this
 * interface as well; one that does not simply does not implement it.
 *
 * <p>Implementations are thread-safe.
 */
@Beta
public interface StreamAdministration {

    /**
     * Deletes a stream for good. Afterwards reading or appending to it throws {@link StreamDeletedException}, and
     * its id can never be used again. Its events stay in the {@code $all} log, which is append-only (subscriptions and
     * projections that already saw them are not affected).
     *
     * @param streamId the stream to delete; it need not exist (tombstoning an unused id reserves it for ever), and may
     *     be soft-deleted (the deletion becomes final)
     * @param expected the precondition on the stream's current version, as for an append
     * @throws WrongExpectedVersionException if the precondition does not hold; nothing changes
     * @throws StreamDeletedException if the stream is already tombstoned (a soft-deleted one may be)
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    void tombstone(String streamId, ExpectedVersion expected);

    /**
     * Hides a stream: reading or appending to it throws {@link StreamDeletedException} with {@link
     * StreamDeletedException#restorable()} until {@link #restore} undoes it. Nothing is removed: its events stay, in
     * the stream and in the {@code $all} log (subscriptions and projections are not affected). Not an erasure.
     *
     * @param streamId the stream; it must exist
     * @param expected the precondition on the stream's current version
     * @throws WrongExpectedVersionException if the precondition does not hold or the stream does not exist (actual
     *     version -1); nothing changes
     * @throws StreamDeletedException if the stream is already soft-deleted, or tombstoned
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    void softDelete(String streamId, ExpectedVersion expected);

    /**
     * Makes a soft-deleted stream readable and writable again, with all its events, at the version it had.
     *
     * @param streamId a soft-deleted stream
     * @throws InvalidRequestException if the stream is not soft-deleted (or does not exist), or its id is malformed
     * @throws StreamDeletedException if the stream was tombstoned (since)
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    void restore(String streamId);

    /**
     * @param streamId a stream id
     * @return {@code true} if the stream is soft-deleted (not restored since, not tombstoned)
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    boolean isSoftDeleted(String streamId);

    /**
     * @param streamId a stream id
     * @return {@code true} if the stream was tombstoned
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    boolean isDeleted(String streamId);
}
