package dev.eventfold.eventstore.internal;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.ReadDirection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The checks every store runs on its arguments before touching storage, so that all stores reject the same input
 * with the same exception and message. Not API: public only so that store modules can share it.
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestChecks {

    private RequestChecks() {
    }

    /**
     * @param limits the store's limits
     * @param streamId a stream id
     * @throws InvalidRequestException if the id is null, blank, too long, reserved or has characters the pattern
     *     does not allow
     */
    public static void checkStreamId(EventStoreLimits limits, String streamId) {
        if (streamId == null) {
            throw new InvalidRequestException("streamId must not be null");
        }
        if (streamId.isBlank()) {
            throw new InvalidRequestException("streamId must not be blank");
        }
        if (streamId.length() > limits.maxStreamIdLength()) {
            throw new InvalidRequestException("streamId is " + streamId.length() + " characters, the limit is "
                    + limits.maxStreamIdLength());
        }
        if (streamId.charAt(0) == '$') {
            throw new InvalidRequestException("streamId '" + streamId + "' starts with '$', which is reserved for "
                    + "the store's own streams");
        }
        if (!limits.streamIdPattern().matcher(streamId).matches()) {
            throw new InvalidRequestException("streamId '" + printable(streamId) + "' does not match the pattern "
                    + limits.streamIdPattern().pattern());
        }
    }

    /**
     * Checks everything about an append that can be checked without reading the store.
     *
     * @param limits the store's limits
     * @param streamId the stream
     * @param expected the expected version
     * @param events the events
     * @throws InvalidRequestException if the stream id or expected version is malformed
     * @throws InvalidEventException if the batch is null, empty, too large, holds a null, repeats an event id, or an
     *     event's payload or metadata is malformed or too large
     */
    public static void checkAppend(EventStoreLimits limits, String streamId, ExpectedVersion expected,
            List<EventData> events) {
        checkStreamId(limits, streamId);
        if (expected == null) {
            throw new InvalidRequestException("expected version must not be null (use ExpectedVersion.any())");
        }
        if (events == null || events.isEmpty()) {
            throw new InvalidEventException("stream '" + streamId + "': an append needs at least one event");
        }
        if (events.size() > limits.maxEventsPerAppend()) {
            throw new InvalidEventException("stream '" + streamId + "': " + events.size()
                    + " events in one append, the limit is " + limits.maxEventsPerAppend());
        }
        checkEachEvent(limits, streamId, events);
    }

    /**
     * The checks of {@link #checkAppend} for a whole stream of any length (an import).
     *
     * @param limits the store's limits
     * @param streamId the stream
     * @param events the stream's events
     * @throws InvalidRequestException if the stream id is malformed
     * @throws InvalidEventException if there are no events, one is null, an event id repeats, or an event's payload
     *     or metadata is malformed or too large
     */
    public static void checkEvents(EventStoreLimits limits, String streamId, List<EventData> events) {
        checkStreamId(limits, streamId);
        if (events == null || events.isEmpty()) {
            throw new InvalidEventException("stream '" + streamId + "': at least one event is needed");
        }
        checkEachEvent(limits, streamId, events);
    }

    private static void checkEachEvent(EventStoreLimits limits, String streamId, List<EventData> events) {
        Set<UUID> ids = new HashSet<>(events.size() * 2);
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            if (event == null) {
                throw new InvalidEventException("stream '" + streamId + "' event #" + i + " is null");
            }
            if (!ids.add(event.eventId())) {
                throw new InvalidEventException("stream '" + streamId + "' event #" + i + " (id " + event.eventId()
                        + "): the same event id appears twice in one append");
            }
            checkPayload(limits, streamId, i, event);
            checkMetadata(limits, streamId, i, event);
        }
    }

    private static void checkPayload(EventStoreLimits limits, String streamId, int index, EventData event) {
        int size = event.payload().size();
        if (size > limits.maxPayloadBytes()) {
            throw new InvalidEventException(where(streamId, index, event) + "payload is " + size
                    + " bytes, the limit is " + limits.maxPayloadBytes());
        }
        String problem = JsonDocuments.problemWith(event.payload());
        if (problem != null) {
            throw new InvalidEventException(where(streamId, index, event) + "payload is not one well-formed JSON "
                    + "value: " + problem);
        }
    }

    private static void checkMetadata(EventStoreLimits limits, String streamId, int index, EventData event) {
        Metadata metadata = event.metadata();
        long size = utf8Length(metadata.correlationId()) + utf8Length(metadata.causationId())
                + utf8Length(metadata.userId()) + utf8Length(metadata.tenantId());
        for (Map.Entry<String, String> header : metadata.headers().entrySet()) {
            size += utf8Length(header.getKey()) + utf8Length(header.getValue());
        }
        if (size > limits.maxMetadataBytes()) {
            throw new InvalidEventException(where(streamId, index, event) + "metadata is " + size
                    + " bytes, the limit is " + limits.maxMetadataBytes());
        }
        String problem = JsonDocuments.problemWith(metadata);
        if (problem != null) {
            throw new InvalidEventException(where(streamId, index, event) + "metadata " + problem);
        }
    }

    /**
     * @param limits the store's limits
     * @param streamId the stream
     * @param direction the direction
     * @param fromVersion the first version to read
     * @param maxCount the page size
     * @throws InvalidRequestException if an argument is null or out of range
     */
    public static void checkReadStream(EventStoreLimits limits, String streamId, ReadDirection direction,
            long fromVersion, int maxCount) {
        checkStreamId(limits, streamId);
        if (direction == null) {
            throw new InvalidRequestException("direction must not be null");
        }
        if (fromVersion < 0) {
            throw new InvalidRequestException("fromVersion must be 0 or more, was " + fromVersion);
        }
        checkMaxCount(limits, maxCount);
    }

    /**
     * @param limits the store's limits
     * @param after the position to read after
     * @param filter the filter
     * @param maxCount the page size
     * @throws InvalidRequestException if an argument is null or out of range
     */
    public static void checkReadAll(EventStoreLimits limits, LogPosition after, EventFilter filter, int maxCount) {
        if (after == null) {
            throw new InvalidRequestException("after must not be null (use LogPosition.START)");
        }
        if (filter == null) {
            throw new InvalidRequestException("filter must not be null (use EventFilter.all())");
        }
        checkMaxCount(limits, maxCount);
    }

    /**
     * @param after the position to deliver after
     * @param filter the filter
     * @param handler the handler
     * @throws InvalidRequestException if an argument is null
     */
    public static void checkSubscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        if (after == null) {
            throw new InvalidRequestException("after must not be null (use LogPosition.START)");
        }
        if (filter == null) {
            throw new InvalidRequestException("filter must not be null (use EventFilter.all())");
        }
        if (handler == null) {
            throw new InvalidRequestException("handler must not be null");
        }
    }

    private static void checkMaxCount(EventStoreLimits limits, int maxCount) {
        if (maxCount < 1 || maxCount > limits.maxEventsPerRead()) {
            throw new InvalidRequestException("maxCount must be between 1 and " + limits.maxEventsPerRead()
                    + ", was " + maxCount);
        }
    }

    private static String where(String streamId, int index, EventData event) {
        return "stream '" + streamId + "' event #" + index + " (id " + event.eventId() + "): ";
    }

    private static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return out.toString();
    }
}
