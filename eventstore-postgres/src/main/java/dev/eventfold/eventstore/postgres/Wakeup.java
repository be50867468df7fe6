package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogWatch;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watchers of one store's log ({@code EventStore.watchLog}: its subscriptions, projection runners), called when the
 * log may have grown: after the store's own appends and on notifications of the LISTEN connection. A watcher may name
 * the one category it follows (a subscription with a category filter); it is then woken only by appends to that
 * category, or when which categories grew is not known. Each watcher keeps its own {@code LogSignal} to sleep on. The
 * generation counts the signals (for tests). Thread-safe.
 */
final class Wakeup {

    private record Watcher(String category, Runnable wake) {
    }

    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param category the one category the watcher follows, or null for every append
     * @param wake called on every signal that may concern it, until the registration is closed
     * @return the registration
     */
    LogWatch watch(String category, Runnable wake) {
        Watcher registered = new Watcher(category, wake); // a new identity: the same Runnable may be registered twice
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
     * The log may have grown in these categories: wakes their watchers and those that follow every category.
     *
     * @param categories the categories appended to, or null when not known (every watcher is woken)
     */
    void signal(Set<String> categories) {
        generation.incrementAndGet();
        for (Watcher watcher : watchers) {
            if (categories == null || watcher.category() == null || categories.contains(watcher.category())) {
                watcher.wake().run();
            }
        }
    }
}
