package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogWatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A generation counter that the listener bumps on every notification; subscriptions sleep on it until it moves or
 * their poll interval ends, so a caught-up subscription neither spins nor misses a signal sent between its read and
 * its wait (it waits for a generation other than the one it saw before reading). Watchers
 * ({@code EventStore.watchLog}) are called on every signal.
 */
final class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private long generation;

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
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Runnable watcher : watchers) {
            watcher.run();
        }
    }

    /** @return true if the generation moved past {@code seen}, false on timeout */
    boolean await(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (generation == seen) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean await(long seen, long millis) throws InterruptedException {
        return await(seen, Duration.of(millis, TimeUnit.MILLISECONDS.toChronoUnit()));
    }
}
