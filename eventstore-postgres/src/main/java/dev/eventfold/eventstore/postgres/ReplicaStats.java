package dev.eventfold.eventstore.postgres;

/**
 * Where a store with a read replica answered its stream reads and its {@code readAll} pages (see
 * {@link PostgresEventStore.Builder#readReplica(javax.sql.DataSource, java.time.Duration)}).
 *
 * @param fromReplica reads the replica answered at once
 * @param afterWaiting reads the replica answered after the store waited for it to replay what the stream was known to
 *     hold
 * @param fromPrimary reads the primary answered: the replica stayed behind for the whole wait, or could not be reached
 * @param logPagesFromReplica {@code readAll} pages the replica answered (it filled them)
 * @param logPagesFromPrimary {@code readAll} pages the primary answered: the replica's page was short (it may have
 *     ended where the replica's replay ends) or the replica could not be reached
 */
public record ReplicaStats(long fromReplica, long afterWaiting, long fromPrimary, long logPagesFromReplica,
        long logPagesFromPrimary) {
}
