package dev.eventfold.eventstore.internal;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether a reader of the log (a subscription, a projection) has passed a position: the read-your-writes wait of
 * {@code Subscription.awaitPosition} and {@code ProjectionRunner.awaitPosition}.
 */
public final class LogProgress {

    private LogProgress() {
    }

    /**
     * A reader that has completed every event up to {@code position} has passed {@code target} when its position is
     * at or after it, or when the target is readable and no event its filter selects lies between the two (a reader
     * never moves over events outside its filter).
     *
     * @param store the store the reader reads
     * @param filter the reader's filter
     * @param position the last position the reader completed
     * @param target a position, e.g. an append's {@code lastLogPosition()}
     * @return whether the reader has nothing left to do up to {@code target}
     */
    public static boolean hasPassed(EventStore store, EventFilter filter, LogPosition position, LogPosition target) {
        if (position.compareTo(target) >= 0 || target.globalPosition() < 1) {
            return true;
        }
        // Is the target readable yet? The event right after (tx, pos - 1) in log order is the target itself if so.
        List<RecordedEvent> at = store.readAll(new LogPosition(target.transactionId(), target.globalPosition() - 1),
                EventFilter.all(), 1);
        if (at.isEmpty() || !at.get(0).logPosition().equals(target)) {
            return false;
        }
        // Readable, so everything before it is too: passed if no event of the reader's lies between.
        List<RecordedEvent> next = store.readAll(position, filter, 1);
        return next.isEmpty() || next.get(0).logPosition().compareTo(target) > 0;
    }

    /**
     * Waits, polling with a back-off from 2 to 100 ms, until {@code passed} holds, the reader stops, or the time is up.
     *
     * @param passed whether the reader has passed the target
     * @param running whether the reader still runs
     * @param timeout how long to wait at most
     * @return whether it passed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean await(BooleanSupplier passed, BooleanSupplier running, Duration timeout)
            throws InterruptedException {
        return await(passed, running, timeout, Progress.NONE);
    }

    /**
     * A reader's own signal that it moved (a projection runner's commits), so a wait for it can end at once instead of
     * at the next poll.
     */
    public interface Progress {

        /** No signal: waits only poll. */
        Progress NONE = new Progress() {
            @Override
            public long seen() {
                return 0;
            }

            @Override
            public void await(long seen, long nanos) throws InterruptedException {
                LockSupport.parkNanos(nanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        };

        /** @return a counter of the reader's moves, read before each check */
        long seen();

        /**
         * Waits up to {@code nanos}, or not at all if the reader moved since {@code seen}, or until it moves.
         *
         * @param seen what {@link #seen()} said before the last check
         * @param nanos the longest wait
         * @throws InterruptedException if interrupted
         */
        void await(long seen, long nanos) throws InterruptedException;
    }

    /**
     * Like {@link #await(BooleanSupplier, BooleanSupplier, Duration)}, ending each pause early when the reader
     * signals that it moved.
     *
     * @param passed whether the reader has passed the target
     * @param running whether the reader still runs
     * @param timeout how long to wait at most
     * @param progress the reader's signal
     * @return whether it passed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean await(BooleanSupplier passed, BooleanSupplier running, Duration timeout, Progress progress)
            throws InterruptedException {
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidRequestException("a non-negative timeout is required");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(2);
        while (true) {
            long seen = progress.seen();
            if (passed.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !running.getAsBoolean()) {
                return passed.getAsBoolean();
            }
            progress.await(seen, Math.min(pause, left));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /**
     * @param target the position to check, required
     * @return it
     * @throws InvalidRequestException if it is null
     */
    public static LogPosition required(LogPosition target) {
        if (target == null) {
            throw new InvalidRequestException("a target position is required");
        }
        return target;
    }

    /**
     * The usual combination for a reader with a live position.
     *
     * @param store the store
     * @param filter the reader's filter
     * @param position the reader's last completed position, read afresh on each check
     * @param running whether the reader still runs
     * @param target the target
     * @param timeout how long to wait at most
     * @return whether it passed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean await(EventStore store, EventFilter filter, Supplier<LogPosition> position,
            BooleanSupplier running, LogPosition target, Duration timeout) throws InterruptedException {
        return await(store, filter, position, running, target, timeout, Progress.NONE);
    }

    /**
     * Like {@link #await(EventStore, EventFilter, Supplier, BooleanSupplier, LogPosition, Duration)}, ending each
     * pause early when the reader signals that it moved.
     *
     * @param store the store
     * @param filter the reader's filter
     * @param position the reader's last completed position, read afresh on each check
     * @param running whether the reader still runs
     * @param target the target
     * @param timeout how long to wait at most
     * @param progress the reader's signal
     * @return whether it passed in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean await(EventStore store, EventFilter filter, Supplier<LogPosition> position,
            BooleanSupplier running, LogPosition target, Duration timeout, Progress progress)
            throws InterruptedException {
        required(target);
        return await(() -> hasPassed(store, filter, position.get(), target), running, timeout, progress);
    }
}
