package dev.eventfold.eventstore.retention;

import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Which old events of one stream, or of every stream of a category, may be removed: those recorded more than
 * {@code maxAge} ago, all but the newest {@code maxCount}, and those before version {@code truncateBefore}; an event
 * goes if any rule says so. Removal always takes a stream's oldest events (a prefix), so what stays is a contiguous
 * run of its newest events; a stream whose events all go keeps its version (appends continue after it). Tombstoned
 * and soft-deleted streams are left alone. Immutable.
 *
 * <pre>{@code
 * RetentionPolicy.category("audit").maxAge(Duration.ofDays(7 * 365));   // keep seven years
 * RetentionPolicy.stream("sensor-42").maxCount(10_000);
 * }</pre>
 *
 * <p>Removing the start of an aggregate's stream changes what a fold sees: apply retention to streams whose readers
 * expect it (logs, telemetry, closed aggregates removed whole by age), or keep snapshots that cover the cut.
 *
 * @param streamId the one stream, or null with a category
 * @param category the category, or null with a stream id
 * @param maxAge events older than this go, or null
 * @param maxCount at most this many newest events stay, or null
 * @param truncateBefore events before this version go, or null
 */
public record RetentionPolicy(String streamId, String category, Duration maxAge, Long maxCount,
        Long truncateBefore) {

    /**
     * @param streamId the one stream, or null
     * @param category the category, or null
     * @param maxAge the maximum age, or null
     * @param maxCount the maximum count, or null
     * @param truncateBefore the first version kept by this rule, or null
     * @throws InvalidRequestException naming the rule that is wrong: neither or both of stream and category, a
     *     maximum age that is not positive, a maximum count below 1, a version below 1
     */
    public RetentionPolicy {
        if ((streamId == null) == (category == null)) {
            throw new InvalidRequestException("a retention policy names one stream or one category, not "
                    + (streamId == null ? "neither" : "both"));
        }
        if (streamId != null && streamId.isBlank() || category != null && (category.isBlank()
                || category.indexOf('-') >= 0)) {
            throw new InvalidRequestException("a retention policy's stream id must not be blank and its category "
                    + "must be non-blank without '-'");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new InvalidRequestException("retention maxAge must be positive, was " + maxAge);
        }
        if (maxCount != null && maxCount < 1) {
            throw new InvalidRequestException("retention maxCount must be 1 or more, was " + maxCount
                    + " (tombstone the stream to remove everything)");
        }
        if (truncateBefore != null && truncateBefore < 1) {
            throw new InvalidRequestException("retention truncateBefore must be a version of 1 or more, was "
                    + truncateBefore);
        }
    }

    /**
     * @param streamId the stream
     * @return a policy for it, still without a rule
     */
    public static Builder stream(String streamId) {
        return new Builder(streamId, null);
    }

    /**
     * @param category the category ({@code order} for every {@code order-...} stream)
     * @return a policy for its streams, still without a rule
     */
    public static Builder category(String category) {
        return new Builder(null, category);
    }

    /**
     * The first version that stays: every event of a lower version goes.
     *
     * @param version the stream's version now
     * @param firstYoungEnough the lowest version recorded at or after {@code now - maxAge}, empty if none is (every
     *     event is too old); ignored without {@code maxAge}
     * @return the cut, from 0 (nothing goes) to {@code version + 1} (everything goes)
     */
    public long cut(long version, OptionalLong firstYoungEnough) {
        long cut = 0;
        if (truncateBefore != null) {
            cut = Math.max(cut, truncateBefore);
        }
        if (maxCount != null) {
            cut = Math.max(cut, version + 1 - maxCount);
        }
        if (maxAge != null) {
            cut = Math.max(cut, firstYoungEnough.orElse(version + 1));
        }
        return Math.min(cut, version + 1);
    }

    /**
     * @param now the time of the run
     * @return the oldest recording time that stays, or null without {@code maxAge}
     */
    public Instant oldestKept(Instant now) {
        return maxAge == null ? null : now.minus(maxAge);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(streamId != null ? "stream " + streamId : "category " + category);
        if (maxAge != null) {
            s.append(", maxAge ").append(maxAge);
        }
        if (maxCount != null) {
            s.append(", maxCount ").append(maxCount);
        }
        if (truncateBefore != null) {
            s.append(", truncateBefore ").append(truncateBefore);
        }
        return s.toString();
    }

    /** Adds the rules; {@link #build} checks them. Not thread-safe. */
    public static final class Builder {

        private final String streamId;
        private final String category;
        private Duration maxAge;
        private Long maxCount;
        private Long truncateBefore;

        private Builder(String streamId, String category) {
            this.streamId = streamId;
            this.category = category;
        }

        /**
         * @param value events recorded longer ago than this go
         * @return this builder
         */
        public Builder maxAge(Duration value) {
            this.maxAge = value;
            return this;
        }

        /**
         * @param value at most this many newest events stay
         * @return this builder
         */
        public Builder maxCount(long value) {
            this.maxCount = value;
            return this;
        }

        /**
         * @param version events before this version go
         * @return this builder
         */
        public Builder truncateBefore(long version) {
            this.truncateBefore = version;
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidRequestException if a rule is wrong or there is none
         */
        public RetentionPolicy build() {
            if (maxAge == null && maxCount == null && truncateBefore == null) {
                throw new InvalidRequestException("a retention policy needs at least one rule: maxAge, maxCount or "
                        + "truncateBefore");
            }
            return new RetentionPolicy(streamId, category, maxAge, maxCount, truncateBefore);
        }
    }
}
