package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogWatch;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watchers of one store's log ({@code EventStore.watchLog}: its subscriptions, projection runners), called on
 * every signal: after the store's own appends and on every notification of the LISTEN connection. Each watcher keeps
 * its own {@code LogSignal} to sleep on. The generation counts the signals (for tests). Thread-safe.
 */
final class Wakeup {

    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();

    /** @return a registration that calls {@code wake} on every signal until it is closed */
    LogWatch watch(Runnable wake) {
        Runnable registered = () -> wake.run(); // a new identity: the same Runnable may be registered twice
        watchers.add(registered);
        return () -> watchers.remove(registered);
    }

    boolean watched() {
        return !watchers.isEmpty();
    }

    long generation() {
        return generation.get();
    }

    void signal() {
        generation.incrementAndGet();
        for (Runnable watcher : watchers) {
            watcher.run();
        }
    }
}
