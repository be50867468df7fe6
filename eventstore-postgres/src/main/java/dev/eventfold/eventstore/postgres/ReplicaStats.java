package dev.eventfold.eventstore.postgres;

/**
 * Where a store with a read replica answered its stream reads (see
 * {@link PostgresEventStore.Builder#readReplica(javax.sql.DataSource, java.time.Duration)}).
 *
 * @param fromReplica reads the replica answered at once
 * @param afterWaiting reads the replica answered after the store waited for it to replay what the stream was known to
 *     hold
 * @param fromPrimary reads the primary answered: the replica stayed behind for the whole wait, or could not be reached
 */
public record ReplicaStats(long fromReplica, long afterWaiting, long fromPrimary) {
}
