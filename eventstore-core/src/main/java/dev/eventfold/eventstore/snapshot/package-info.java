/**
 * Snapshots of aggregate state: {@link dev.eventfold.eventstore.snapshot.SnapshotStore} (in memory here, in
 * PostgreSQL in {@code eventstore-postgres}), {@link dev.eventfold.eventstore.snapshot.SnapshotPolicy} and the
 * {@link dev.eventfold.eventstore.snapshot.Snapshot} value. The aggregate repository writes them after appends, off
 * the caller's path; see {@code docs/aggregates.md}.
 */
package dev.eventfold.eventstore.snapshot;
