package dev.eventfold.eventstore.snapshot;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Payload;
import java.time.Instant;

/**
 * An aggregate's state serialized at a stream version: the fold of the stream's events 0 to {@code streamVersion}.
 * Immutable.
 *
 * @param streamId the stream the state belongs to
 * @param streamVersion the version of the last event folded into the state, 0 or more
 * @param schemaVersion the snapshot schema version of {@code state} (see
 *     {@link dev.eventfold.eventstore.serialization.StateCodec#schemaVersion()})
 * @param state the serialized state
 * @param takenAt when the snapshot was taken
 */
public record Snapshot(String streamId, long streamVersion, int schemaVersion, Payload state, Instant takenAt) {

    /**
     * @param streamId the stream the state belongs to
     * @param streamVersion the version of the last event folded into the state, 0 or more
     * @param schemaVersion the snapshot schema version of {@code state} (see {@link
     *     dev.eventfold.eventstore.serialization.StateCodec#schemaVersion()})
     * @param state the serialized state
     * @param takenAt when the snapshot was taken
     * @throws InvalidRequestException if a field is null, or a version is out of range
     */
    public Snapshot {
        if (streamId == null || streamId.isEmpty()) {
            throw new InvalidRequestException("snapshot streamId must not be null or empty");
        }
        if (streamVersion < 0) {
            throw new InvalidRequestException("snapshot streamVersion must be 0 or more, was " + streamVersion);
        }
        if (schemaVersion < 1) {
            throw new InvalidRequestException("snapshot schemaVersion must be 1 or more, was " + schemaVersion);
        }
        if (state == null || takenAt == null) {
            throw new InvalidRequestException("snapshot state and takenAt must not be null");
        }
    }
}
