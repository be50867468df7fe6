package dev.eventfold.examples.forwarder;

import dev.eventfold.eventstore.RecordedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An event as it travels in the Redis stream: one stream entry whose fields are the event's id, type, stream, stream
 * version, log position and JSON payload. The event id is what a consumer deduplicates by.
 *
 * @param entryId the Redis stream entry id (assigned by Redis on XADD)
 * @param eventId the event's id in the event store
 * @param type the event's type name
 * @param streamId the event's stream
 * @param streamVersion the event's place in its stream
 * @param payload the event's JSON
 */
public record ForwardedEvent(String entryId, UUID eventId, String type, String streamId, long streamVersion,
        String payload) {

    static final String EVENT_ID = "event_id";
    static final String TYPE = "type";
    static final String STREAM_ID = "stream_id";
    static final String STREAM_VERSION = "stream_version";
    static final String LOG_POSITION = "log_position";
    static final String PAYLOAD = "payload";

    /**
     * @param event a stored event
     * @return the fields of its stream entry
     */
    static Map<String, String> fields(RecordedEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EVENT_ID, event.eventId().toString());
        fields.put(TYPE, event.type());
        fields.put(STREAM_ID, event.streamId());
        fields.put(STREAM_VERSION, Long.toString(event.streamVersion()));
        fields.put(LOG_POSITION, event.logPosition().toString());
        fields.put(PAYLOAD, event.payload().asString());
        return fields;
    }

    /**
     * @param entryId a stream entry id
     * @param fields its fields, as {@link #fields} wrote them
     * @return the event
     */
    static ForwardedEvent of(String entryId, Map<String, String> fields) {
        return new ForwardedEvent(entryId, UUID.fromString(fields.get(EVENT_ID)), fields.get(TYPE),
                fields.get(STREAM_ID), Long.parseLong(fields.get(STREAM_VERSION)), fields.get(PAYLOAD));
    }
}
