package dev.eventfold.eventstore;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The limits a store enforces on what it is given. Every store checks them the same way and rejects a call that
 * breaks one with {@link InvalidRequestException} or {@link InvalidEventException}, before anything is written.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>range</th></tr>
 *   <tr><td>{@code maxEventsPerAppend}</td><td>1,000</td><td>1 to 100,000</td></tr>
 *   <tr><td>{@code maxPayloadBytes}</td><td>1 MiB</td><td>1 byte to 64 MiB</td></tr>
 *   <tr><td>{@code maxMetadataBytes}</td><td>64 KiB</td><td>64 bytes to 1 MiB</td></tr>
 *   <tr><td>{@code maxStreamIdLength}</td><td>200</td><td>1 to 1,000</td></tr>
 *   <tr><td>{@code streamIdPattern}</td><td>{@code [A-Za-z0-9][A-Za-z0-9_.:@+=-]*}</td><td>any pattern</td></tr>
 *   <tr><td>{@code maxEventsPerRead}</td><td>1,000 (also the default page of a read)</td><td>1 to 100,000</td></tr>
 * </table>
 *
 * <p>Stream ids starting with {@code $} are reserved for the store (as in {@code $all}) whatever the pattern says.
 *
 * <p>Immutable; the builder is not thread-safe.
 *
 * @param maxEventsPerAppend the most events one append may carry
 * @param maxPayloadBytes the largest payload, in UTF-8 bytes
 * @param maxMetadataBytes the largest metadata (ids, header names and values), in UTF-8 bytes
 * @param maxStreamIdLength the longest stream id, in characters
 * @param streamIdPattern the pattern every stream id must match in full
 * @param maxEventsPerRead the most events one read may ask for, and the default page size
 */
public record EventStoreLimits(int maxEventsPerAppend, int maxPayloadBytes, int maxMetadataBytes,
        int maxStreamIdLength, Pattern streamIdPattern, int maxEventsPerRead) {

    /** The default stream id pattern: a letter or digit, then letters, digits and {@code _ . : @ + = -}. */
    public static final Pattern DEFAULT_STREAM_ID_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+=\\-]*");

    private static final EventStoreLimits DEFAULTS = builder().build();

    /**
     * @param maxEventsPerAppend the most events one append may carry
     * @param maxPayloadBytes the largest payload, in UTF-8 bytes
     * @param maxMetadataBytes the largest metadata (ids, header names and values), in UTF-8 bytes
     * @param maxStreamIdLength the longest stream id, in characters
     * @param streamIdPattern the pattern every stream id must match in full
     * @param maxEventsPerRead the most events one read may ask for, and the default page size
     * @throws InvalidRequestException if a limit is out of its range
     */
    public EventStoreLimits {
        requireRange("maxEventsPerAppend", maxEventsPerAppend, 1, 100_000);
        requireRange("maxPayloadBytes", maxPayloadBytes, 1, 64 * 1024 * 1024);
        requireRange("maxMetadataBytes", maxMetadataBytes, 64, 1024 * 1024);
        requireRange("maxStreamIdLength", maxStreamIdLength, 1, 1_000);
        if (streamIdPattern == null) {
            throw new InvalidRequestException("streamIdPattern must not be null");
        }
        requireRange("maxEventsPerRead", maxEventsPerRead, 1, 100_000);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidRequestException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    /** @return the default limits */
    public static EventStoreLimits defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these limits */
    public Builder toBuilder() {
        return new Builder().maxEventsPerAppend(maxEventsPerAppend).maxPayloadBytes(maxPayloadBytes)
                .maxMetadataBytes(maxMetadataBytes).maxStreamIdLength(maxStreamIdLength)
                .streamIdPattern(streamIdPattern).maxEventsPerRead(maxEventsPerRead);
    }

    /** Builds {@link EventStoreLimits}; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private int maxEventsPerAppend = 1_000;
        private int maxPayloadBytes = 1024 * 1024;
        private int maxMetadataBytes = 64 * 1024;
        private int maxStreamIdLength = 200;
        private Pattern streamIdPattern = DEFAULT_STREAM_ID_PATTERN;
        private int maxEventsPerRead = 1_000;

        private Builder() {
        }

        /**
         * @param value the most events one append may carry, 1 to 100,000
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxEventsPerAppend(int value) {
            requireRange("maxEventsPerAppend", value, 1, 100_000);
            maxEventsPerAppend = value;
            return this;
        }

        /**
         * @param value the largest payload in bytes, 1 to 64 MiB
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxPayloadBytes(int value) {
            requireRange("maxPayloadBytes", value, 1, 64 * 1024 * 1024);
            maxPayloadBytes = value;
            return this;
        }

        /**
         * @param value the largest metadata in bytes, 64 bytes to 1 MiB
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxMetadataBytes(int value) {
            requireRange("maxMetadataBytes", value, 64, 1024 * 1024);
            maxMetadataBytes = value;
            return this;
        }

        /**
         * @param value the longest stream id in characters, 1 to 1,000
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxStreamIdLength(int value) {
            requireRange("maxStreamIdLength", value, 1, 1_000);
            maxStreamIdLength = value;
            return this;
        }

        /**
         * @param value the pattern every stream id must match in full
         * @return this builder
         * @throws InvalidRequestException if null
         */
        public Builder streamIdPattern(Pattern value) {
            if (value == null) {
                throw new InvalidRequestException("streamIdPattern must not be null");
            }
            streamIdPattern = Objects.requireNonNull(value);
            return this;
        }

        /**
         * @param value the most events one read may return and the default page, 1 to 100,000
         * @return this builder
         * @throws InvalidRequestException if out of range
         */
        public Builder maxEventsPerRead(int value) {
            requireRange("maxEventsPerRead", value, 1, 100_000);
            maxEventsPerRead = value;
            return this;
        }

        /** @return the limits */
        public EventStoreLimits build() {
            return new EventStoreLimits(maxEventsPerAppend, maxPayloadBytes, maxMetadataBytes, maxStreamIdLength,
                    streamIdPattern, maxEventsPerRead);
        }
    }
}
