package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogWatch;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The watchers of one store's log ({@code EventStore.watchLog}: its subscriptions, projection runners), called when the
 * log may have grown: after the store's own appends and on notifications of the LISTEN connection. A watcher may name
 * the one category it follows (a subscription with a category filter); it is then woken by appends to that category,
 * when which categories grew is not known, and by every signal for {@link #WIDE_NANOS} after one of its own: an event
 * of its category that an older transaction of another category held back (the log is read below the xmin horizon)
 * becomes readable when that transaction commits, whose signal names only its own category. Each watcher keeps its own
 * {@code LogSignal} to sleep on. The generation counts the signals (for tests). Thread-safe.
 */
final class Wakeup {

    /** How long a watcher of one category hears every signal after one of its own: longer than an append takes. */
    static final long WIDE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A registration; compared by identity, so one {@code Runnable} may be registered twice and closed once each. */
    private static final class Watcher {
        final String category;
        final Runnable wake;
        volatile long wideUntil;

        Watcher(String category, Runnable wake, long now) {
            this.category = category;
            this.wake = wake;
            this.wideUntil = now; // closed until a signal of its own
        }
    }

    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier nanoTime;

    Wakeup() {
        this(System::nanoTime);
    }

    /** @param nanoTime the clock of the wide window (tests pass their own) */
    Wakeup(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * @param category the one category the watcher follows, or null for every append
     * @param wake called on every signal that may concern it, until the registration is closed
     * @return the registration; closing it again does nothing
     */
    LogWatch watch(String category, Runnable wake) {
        Watcher registered = new Watcher(category, wake, nanoTime.getAsLong());
        watchers.add(registered);
        return () -> watchers.remove(registered);
    }

    boolean watched() {
        return !watchers.isEmpty();
    }

    long generation() {
        return generation.get();
    }

    /** The log may have grown anywhere: wakes every watcher. */
    void signal() {
        signal(null);
    }

    /**
     * The log may have grown in these categories: wakes their watchers, those that follow every category, and those
     * within {@link #WIDE_NANOS} of a signal of their own.
     *
     * @param categories the categories appended to, or null when not known (every watcher is woken)
     */
    void signal(Set<String> categories) {
        generation.incrementAndGet();
        long now = nanoTime.getAsLong();
        for (Watcher watcher : watchers) {
            if (categories == null || watcher.category == null) {
                watcher.wake.run();
            } else if (categories.contains(watcher.category)) {
                watcher.wideUntil = now + WIDE_NANOS;
                watcher.wake.run();
            } else if (now - watcher.wideUntil < 0) {
                watcher.wake.run();
            }
        }
    }
}
