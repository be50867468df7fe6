package dev.eventfold.eventstore.aggregate;

/**
 * Counters of an {@link AggregateRepository} since it was built. Immutable.
 *
 * @param loads states rebuilt from the store
 * @param eventsReplayed events folded while rebuilding
 * @param cacheHits states served by the cache
 * @param cacheMisses cache lookups that had to load
 * @param conflicts appends that lost a version race
 * @param snapshotsWritten snapshots stored
 * @param snapshotsIgnored stored snapshots not used (other schema version, unreadable)
 * @param snapshotsFailed snapshots that could not be taken (error, or the writer's queue was full)
 */
public record RepositoryStats(long loads, long eventsReplayed, long cacheHits, long cacheMisses, long conflicts,
        long snapshotsWritten, long snapshotsIgnored, long snapshotsFailed) {
}
