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
     * @param streamId the stream to delete; it need not exist (tombstoning an unused id reserves it for ever)
     * @param expected the precondition on the stream's current version, as for an append
     * @throws WrongExpectedVersionException if the precondition does not hold; nothing changes
     * @throws StreamDeletedException if the stream is already deleted
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    void tombstone(String streamId, ExpectedVersion expected);

    /**
     * @param streamId a stream id
     * @return {@code true} if the stream was tombstoned
     * @throws InvalidRequestException if the stream id is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    boolean isDeleted(String streamId);
}
