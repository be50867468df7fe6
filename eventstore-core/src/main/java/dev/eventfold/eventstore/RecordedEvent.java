package dev.eventfold.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as a reader gets it: what was appended ({@link EventData}) plus where and when it was stored.
 *
 * <p>Immutable.
 *
 * @param streamId the stream the event belongs to
 * @param streamVersion the event's 0-based place in its stream
 * @param globalPosition the event's unique number in the store-wide log, 1 or more. It identifies the event but is
 *     <b>not</b> the read order: events are read in {@link #logPosition()} order (transaction, then this number;
 *     ADR 0002), so an event read later can carry a smaller number. Resume, wait and compare with
 *     {@link #logPosition()}
 * @param transactionId the id of the append that wrote it (see {@link LogPosition}), 1 or more
 * @param eventId the event's id
 * @param type the event's type name
 * @param payload the event's JSON document
 * @param metadata the event's metadata
 * @param recordedAt when the store recorded the event
 */
public record RecordedEvent(String streamId, long streamVersion, long globalPosition, long transactionId,
        UUID eventId, String type, Payload payload, Metadata metadata, Instant recordedAt) {

    /**
     * @param streamId the stream the event belongs to
     * @param streamVersion the event's 0-based place in its stream
     * @param globalPosition the event's unique number in the store-wide log, 1 or more. It identifies the event but
     *     is <b>not</b> the read order: events are read in {@link #logPosition()} order (transaction, then this
     *     number; ADR 0002), so an event read later can carry a smaller number. Resume, wait and compare with {@link
     *     #logPosition()}
     * @param transactionId the id of the append that wrote it (see {@link LogPosition}), 1 or more
     * @param eventId the event's id
     * @param type the event's type name
     * @param payload the event's JSON document
     * @param metadata the event's metadata
     * @param recordedAt when the store recorded the event
     * @throws InvalidRequestException if a component is null or a number is out of range
     */
    public RecordedEvent {
        if (streamId == null || eventId == null || type == null || payload == null || metadata == null
                || recordedAt == null) {
            throw new InvalidRequestException("recorded event components must not be null (stream " + streamId
                    + ", event " + eventId + ")");
        }
        if (streamVersion < 0 || globalPosition < 1 || transactionId < 1) {
            throw new InvalidRequestException("recorded event " + eventId + " has streamVersion " + streamVersion
                    + ", globalPosition " + globalPosition + ", transactionId " + transactionId
                    + "; they must be at least 0, 1 and 1");
        }
    }

    /** @return the event's place in the {@code $all} log, the checkpoint to resume after it */
    public LogPosition logPosition() {
        return new LogPosition(transactionId, globalPosition);
    }

    /** @return the event's stream category, the stream id up to its first {@code -} */
    public String category() {
        return Category.of(streamId);
    }

    /** @return the appended part of this event */
    public EventData toEventData() {
        return new EventData(eventId, type, payload, metadata);
    }
}
