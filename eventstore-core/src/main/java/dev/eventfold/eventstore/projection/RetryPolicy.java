package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Duration;

/**
 * How often, and how patiently, a runner retries an event its projection rejected: {@code maxAttempts} attempts in
 * all, waiting {@code initialBackoff}, then twice that, and so on, up to {@code maxBackoff}. Immutable.
 *
 * @param maxAttempts attempts per event before the {@link FailurePolicy} applies, 1 to 1,000
 * @param initialBackoff the wait after the first failure, 1 ms or more
 * @param maxBackoff the longest wait, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /**
     * @param maxAttempts attempts per event before the {@link FailurePolicy} applies, 1 to 1,000
     * @param initialBackoff the wait after the first failure, 1 ms or more
     * @param maxBackoff the longest wait, at least {@code initialBackoff}
     * @throws InvalidRequestException if a field is out of range
     */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new InvalidRequestException("maxAttempts must be between 1 and 1000, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidRequestException("initialBackoff must be 1 ms or more, was " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new InvalidRequestException("maxBackoff must be at least initialBackoff, was " + maxBackoff);
        }
    }

    /** @return 5 attempts, backoff 100 ms doubling to 30 s */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /**
     * @param failedAttempts attempts that failed so far, 1 or more
     * @return how long to wait before the next attempt
     */
    public Duration backoff(int failedAttempts) {
        Duration wait = initialBackoff;
        for (int i = 1; i < failedAttempts && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
