package dev.eventfold.eventstore;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An event's (or snapshot's) JSON document, held as immutable UTF-8 bytes with value semantics: two payloads are equal
 * when their bytes are equal. See {@code docs/adr/0001-event-payload.md} for why payloads are bytes rather than a
 * {@code JsonNode} or a {@code String}.
 *
 * <p>Creating a payload does not parse it; a store checks that the bytes are one well-formed JSON value when they are
 * appended and rejects the append with {@link InvalidEventException} otherwise. A store may return the document
 * re-encoded (the PostgreSQL store returns the bytes as appended, but events it stored before its schema version 7
 * come back as {@code jsonb} printed them, without insignificant white space and with keys ordered), so compare
 * payloads that went through a store as JSON, not as bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class Payload {

    private final byte[] utf8;
    private int hash;

    private Payload(byte[] utf8) {
        this.utf8 = utf8;
    }

    /**
     * @param json a JSON document
     * @return the payload holding {@code json} encoded as UTF-8
     * @throws InvalidEventException if {@code json} is null
     */
    public static Payload ofJson(String json) {
        if (json == null) {
            throw new InvalidEventException("payload must not be null");
        }
        return new Payload(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param utf8Json a JSON document encoded as UTF-8; the array is copied
     * @return the payload holding a copy of {@code utf8Json}
     * @throws InvalidEventException if {@code utf8Json} is null
     */
    public static Payload ofJsonBytes(byte[] utf8Json) {
        if (utf8Json == null) {
            throw new InvalidEventException("payload must not be null");
        }
        return new Payload(utf8Json.clone());
    }

    /** @return the number of UTF-8 bytes */
    public int size() {
        return utf8.length;
    }

    /** @return a copy of the UTF-8 bytes */
    public byte[] toBytes() {
        return utf8.clone();
    }

    /** @return a stream over the bytes, without copying them (for example for Jackson's {@code readValue}) */
    public InputStream inputStream() {
        return new ByteArrayInputStream(utf8);
    }

    /** @return the JSON document as a string */
    public String asString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Payload that && Arrays.equals(utf8, that.utf8);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(utf8);
            hash = h;
        }
        return h;
    }

    /** @return a description with the size only: payloads may hold personal data and must not reach logs */
    @Override
    public String toString() {
        return "Payload[" + utf8.length + " bytes]";
    }

}
