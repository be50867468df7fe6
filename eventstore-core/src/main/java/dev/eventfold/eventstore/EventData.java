package dev.eventfold.eventstore;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event as a caller appends it: a unique id, a type name, a JSON payload and metadata.
 *
 * <p>The event id makes appends idempotent: appending the same events (same ids, same content) at the same place
 * again succeeds without writing anything. Choose ids when the command arrives (for example derived from an
 * idempotency key) so a retried request carries the same ids. Ids made here ({@link #newEventId()}) grow with time,
 * which keeps the stores' event id index small to update.
 *
 * <p>The type is 1 to {@value #MAX_TYPE_LENGTH} characters of letters, digits and {@code . _ - : / $}, for example
 * {@code OrderPlaced} or {@code order.placed.v2}.
 *
 * <p>Immutable.
 *
 * @param eventId the event's unique id
 * @param type the event's type name
 * @param payload the event's JSON document
 * @param metadata the event's metadata (use {@link Metadata#empty()} for none)
 */
public record EventData(UUID eventId, String type, Payload payload, Metadata metadata) {

    /** The largest length of a type name, in characters: {@value}. */
    public static final int MAX_TYPE_LENGTH = 200;

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._\\-:/$]+");

    /**
     * @param eventId the event's unique id
     * @param type the event's type name
     * @param payload the event's JSON document
     * @param metadata the event's metadata (use {@link Metadata#empty()} for none)
     * @throws InvalidEventException if a component is null or the type is blank, too long or has other characters
     */
    public EventData {
        if (eventId == null) {
            throw new InvalidEventException("eventId must not be null");
        }
        if (type == null || type.isBlank()) {
            throw new InvalidEventException("type must not be blank (event " + eventId + ")");
        }
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new InvalidEventException("type is " + type.length() + " characters, the limit is "
                    + MAX_TYPE_LENGTH + " (event " + eventId + ")");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidEventException("type '" + type + "' may only contain letters, digits and . _ - : / $ "
                    + "(event " + eventId + ")");
        }
        if (payload == null) {
            throw new InvalidEventException("payload must not be null (event " + eventId + ")");
        }
        if (metadata == null) {
            throw new InvalidEventException("metadata must not be null, use Metadata.empty() (event " + eventId
                    + ")");
        }
    }

    /**
     * @param type the event's type name
     * @param json the event's JSON document
     * @return an event with a new id ({@link #newEventId()}) and no metadata
     * @throws InvalidEventException if the type or payload is invalid
     */
    public static EventData of(String type, String json) {
        return new EventData(newEventId(), type, Payload.ofJson(json), Metadata.empty());
    }

    /**
     * A new, unique event id that orders after every id this JVM made before: a version 7 UUID (RFC 9562), whose
     * first 48 bits are the Unix time in milliseconds and whose last 62 bits are random.
     *
     * <p>Prefer it to {@link UUID#randomUUID()} for events: a store's unique index on event ids stays cheap to insert
     * into when new ids sort after old ones, while random ids touch a random page of that index per event. The id
     * reveals when it was made (as the event's recorded time does anyway).
     *
     * @return a new time-ordered event id
     */
    public static UUID newEventId() {
        return EventIds.next();
    }

    /**
     * @param eventId the event's id
     * @param type the event's type name
     * @param json the event's JSON document
     * @return an event with the given id and no metadata
     * @throws InvalidEventException if an argument is invalid
     */
    public static EventData of(UUID eventId, String type, String json) {
        return new EventData(eventId, type, Payload.ofJson(json), Metadata.empty());
    }

    /**
     * @param newMetadata the metadata
     * @return a copy with the metadata replaced
     */
    public EventData withMetadata(Metadata newMetadata) {
        return new EventData(eventId, type, payload, newMetadata);
    }

    /**
     * @param newEventId the event id
     * @return a copy with the event id replaced
     */
    public EventData withEventId(UUID newEventId) {
        return new EventData(newEventId, type, payload, metadata);
    }
}
