package dev.eventfold.eventstore.snapshot;

import dev.eventfold.eventstore.InvalidRequestException;

/**
 * When to take a snapshot: after an append that leaves {@code everyNEvents} or more events since the last snapshot
 * (or since the start of the stream). Immutable.
 *
 * @param everyNEvents events between snapshots, 1 or more; {@code 0} means never
 */
public record SnapshotPolicy(int everyNEvents) {

    /** The default frequency, the seed's {@code snapshotFrequency}: {@value}. */
    public static final int DEFAULT_FREQUENCY = 100;

    /**
     * @param everyNEvents events between snapshots, 1 or more; {@code 0} means never
     * @throws InvalidRequestException if {@code everyNEvents} is negative
     */
    public SnapshotPolicy {
        if (everyNEvents < 0) {
            throw new InvalidRequestException("snapshot everyNEvents must be 0 (never) or more, was " + everyNEvents);
        }
    }

    /** @return a snapshot every {@value #DEFAULT_FREQUENCY} events */
    public static SnapshotPolicy defaults() {
        return new SnapshotPolicy(DEFAULT_FREQUENCY);
    }

    /**
     * @param n events between snapshots, 1 or more
     * @return the policy
     */
    public static SnapshotPolicy everyNEvents(int n) {
        if (n < 1) {
            throw new InvalidRequestException("snapshot everyNEvents must be 1 or more, was " + n);
        }
        return new SnapshotPolicy(n);
    }

    /** @return a policy that never snapshots */
    public static SnapshotPolicy never() {
        return new SnapshotPolicy(0);
    }

    /**
     * @param lastSnapshotVersion the stream version of the last snapshot, -1 if none
     * @param streamVersion the stream version after the append
     * @return whether to snapshot at {@code streamVersion}
     */
    public boolean isDue(long lastSnapshotVersion, long streamVersion) {
        return everyNEvents > 0 && streamVersion - lastSnapshotVersion >= everyNEvents;
    }
}
