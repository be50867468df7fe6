package dev.eventfold.eventstore.snapshot;

import java.util.Optional;

/**
 * Keeps the latest snapshot of each stream. Snapshots are a cache of the event store, never the truth: losing them
 * costs replay time, nothing else.
 *
 * <p>Every implementation passes {@code SnapshotContract} of the contract suite. Implementations are thread-safe.
 */
public interface SnapshotStore {

    /**
     * @param streamId a stream id
     * @return the stored snapshot of the highest stream version, if any
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the backing store cannot be reached
     */
    Optional<Snapshot> latest(String streamId);

    /**
     * Stores a snapshot unless one of the same or a higher stream version is already stored: concurrent or late
     * writers never move a stream's snapshot backwards.
     *
     * @param snapshot the snapshot
     * @return whether it was stored
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the backing store cannot be reached
     */
    boolean save(Snapshot snapshot);

    /**
     * Removes a stream's snapshot (after a tombstone, or to force a replay).
     *
     * @param streamId a stream id
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the backing store cannot be reached
     */
    void delete(String streamId);
}
