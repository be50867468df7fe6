package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.LogPosition;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A projection version's status, as seen by one runner. Immutable.
 *
 * @param projection the projection name
 * @param version this runner's version
 * @param activeVersion the version queries read, if any was activated
 * @param state what this runner does ({@link ProjectionState#STANDBY} if another replica leads)
 * @param recordedState what the leading runner last recorded (equal to {@code state} on the leader)
 * @param position the checkpoint
 * @param lagEvents events after the checkpoint that the projection still has to read (counted up to 10,000; a lag
 *     of 10,000 means "at least")
 * @param lag how long the oldest unread event has waited, zero when caught up
 * @param lastError the last error, or {@code null}
 * @param eventsProcessed events this runner applied since it started
 * @param pendingDeadLetters dead letters waiting for attention
 */
public record ProjectionStatus(String projection, int version, OptionalInt activeVersion, ProjectionState state,
        ProjectionState recordedState, LogPosition position, long lagEvents, Duration lag, String lastError,
        long eventsProcessed, long pendingDeadLetters) {
}
