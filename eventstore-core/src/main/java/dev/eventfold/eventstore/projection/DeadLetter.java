package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.LogPosition;
import java.time.Instant;
import java.util.UUID;

/**
 * An event a projection kept rejecting, set aside so the projection could go on. The event itself stays in the log;
 * this records where it is and why it failed. Immutable.
 *
 * @param id the dead letter's id
 * @param projection the projection's name
 * @param version the read-model version
 * @param position the event's place in the log
 * @param streamId the event's stream
 * @param streamVersion the event's stream version
 * @param eventId the event's id
 * @param eventType the event's type
 * @param error the last error (exception class and message; never the payload, unless the handler put it there)
 * @param attempts how many times it was tried
 * @param failedAt when it was set aside (or last failed a replay)
 * @param status where it stands
 */
public record DeadLetter(long id, String projection, int version, LogPosition position, String streamId,
        long streamVersion, UUID eventId, String eventType, String error, int attempts, Instant failedAt,
        Status status) {

    /** Where a dead letter stands. */
    public enum Status {
        /** Waiting for someone to look at it. */
        PENDING,
        /** Replay asked for: the leading runner applies it again at its next step. */
        REPLAY_REQUESTED,
        /** Applied successfully by a replay. */
        REPLAYED,
        /** Set aside for good by an operator: never applied, never replayed, kept for the record. */
        SKIPPED
    }
}
