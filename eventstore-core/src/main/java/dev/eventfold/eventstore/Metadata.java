package dev.eventfold.eventstore;

import java.util.HashMap;
import java.util.Map;

/**
 * What travels with every event besides its payload: who caused it and in which flow. All four ids are optional
 * ({@code null} when absent); free-form headers carry anything else (a schema version, a trace id, a source).
 *
 * <p>An id, when present, is non-blank and at most {@value #MAX_ID_LENGTH} characters. A header name is non-blank and
 * at most {@value #MAX_HEADER_NAME_LENGTH} characters; a header value is non-null. The total size of metadata is
 * bounded by {@link EventStoreLimits#maxMetadataBytes()} when appended.
 *
 * <p>Immutable: the headers map is copied and unmodifiable.
 *
 * @param correlationId the id shared by every message of one business flow, or {@code null}
 * @param causationId the id of the message (command or event) that caused this event, or {@code null}
 * @param userId the acting user, or {@code null}
 * @param tenantId the tenant the event belongs to, or {@code null}
 * @param headers free-form headers, never {@code null} (may be empty)
 */
public record Metadata(String correlationId, String causationId, String userId, String tenantId,
        Map<String, String> headers) {

    /** The largest length of each id, in characters: {@value}. */
    public static final int MAX_ID_LENGTH = 256;
    /** The largest length of a header name, in characters: {@value}. */
    public static final int MAX_HEADER_NAME_LENGTH = 128;

    private static final Metadata EMPTY = new Metadata(null, null, null, null, Map.of());

    /**
     * @param correlationId the id shared by every message of one business flow, or {@code null}
     * @param causationId the id of the message (command or event) that caused this event, or {@code null}
     * @param userId the acting user, or {@code null}
     * @param tenantId the tenant the event belongs to, or {@code null}
     * @param headers free-form headers, never {@code null} (may be empty)
     * @throws InvalidEventException if an id is blank or too long, or a header name or value breaks the rules above
     */
    public Metadata {
        checkId("correlationId", correlationId);
        checkId("causationId", causationId);
        checkId("userId", userId);
        checkId("tenantId", tenantId);
        if (headers == null) {
            throw new InvalidEventException("metadata headers must not be null (use an empty map)");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || name.isBlank()) {
                throw new InvalidEventException("metadata header names must not be blank");
            }
            if (name.length() > MAX_HEADER_NAME_LENGTH) {
                throw new InvalidEventException("metadata header name is " + name.length()
                        + " characters, the limit is " + MAX_HEADER_NAME_LENGTH);
            }
            if (header.getValue() == null) {
                throw new InvalidEventException("metadata header '" + name + "' must not have a null value");
            }
        }
        headers = Map.copyOf(headers);
    }

    private static void checkId(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw new InvalidEventException("metadata " + field + " must be absent (null) or non-blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException("metadata " + field + " is " + value.length()
                    + " characters, the limit is " + MAX_ID_LENGTH);
        }
    }

    /** @return metadata with no ids and no headers */
    public static Metadata empty() {
        return EMPTY;
    }

    /** @return {@code true} if no id and no header is set */
    public boolean isEmpty() {
        return correlationId == null && causationId == null && userId == null && tenantId == null
                && headers.isEmpty();
    }

    /**
     * @param id the correlation id, or {@code null} to clear it
     * @return a copy with the correlation id replaced
     */
    public Metadata withCorrelationId(String id) {
        return new Metadata(id, causationId, userId, tenantId, headers);
    }

    /**
     * @param id the causation id, or {@code null} to clear it
     * @return a copy with the causation id replaced
     */
    public Metadata withCausationId(String id) {
        return new Metadata(correlationId, id, userId, tenantId, headers);
    }

    /**
     * @param id the user id, or {@code null} to clear it
     * @return a copy with the user id replaced
     */
    public Metadata withUserId(String id) {
        return new Metadata(correlationId, causationId, id, tenantId, headers);
    }

    /**
     * @param id the tenant id, or {@code null} to clear it
     * @return a copy with the tenant id replaced
     */
    public Metadata withTenantId(String id) {
        return new Metadata(correlationId, causationId, userId, id, headers);
    }

    /**
     * @param name the header name
     * @param value the header value
     * @return a copy with the header added or replaced
     * @throws InvalidEventException if the name or value breaks the rules above
     */
    public Metadata withHeader(String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return new Metadata(correlationId, causationId, userId, tenantId, copy);
    }

    /** @return a description without values: metadata may hold personal data and must not reach logs */
    @Override
    public String toString() {
        return "Metadata[ids=" + ((correlationId != null ? 1 : 0) + (causationId != null ? 1 : 0)
                + (userId != null ? 1 : 0) + (tenantId != null ? 1 : 0)) + ", headers=" + headers.keySet() + "]";
    }
}
