package dev.eventfold.eventstore.micrometer;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A value that costs queries to read (a runner's status, the reader horizon), read again only when the last read is
 * older than a second, whatever the scrape rate; a failed read gives {@code NaN}.
 */
final class Throttled<T> {

    private static final long MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();

    private final Supplier<T> read;
    private T last;
    private long readAt;

    Throttled(Supplier<T> read) {
        this.read = read;
    }

    synchronized double get(ToDoubleFunction<T> value) {
        long now = System.nanoTime();
        if (last == null || now - readAt > MAX_AGE_NANOS) {
            try {
                last = read.get();
                readAt = now;
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return value.applyAsDouble(last);
    }
}
