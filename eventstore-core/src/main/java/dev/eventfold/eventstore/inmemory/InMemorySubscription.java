package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.internal.LogProgress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of the in-memory store: a daemon thread that takes batches from the store (sleeping on the store's
 * condition while caught up) and hands them to the handler one event at a time.
 */
final class InMemorySubscription implements Subscription, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(InMemorySubscription.class);
    private static final int BATCH = 256;

    /** Where the delivery thread is in the store's log; touched by that thread only. */
    static final class Cursor {
        final LogPosition after;
        int nextIndex = -1;

        Cursor(LogPosition after) {
            this.after = after;
        }
    }

    private final InMemoryEventStore store;
    private final String name;
    private final EventFilter filter;
    private final EventHandler handler;
    private final Cursor cursor;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile LogPosition position;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    InMemorySubscription(InMemoryEventStore store, String name, LogPosition after, EventFilter filter,
            EventHandler handler) {
        this.store = store;
        this.name = name;
        this.filter = filter;
        this.handler = handler;
        this.cursor = new Cursor(after);
        this.position = after;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public void run() {
        RecordedEvent current = null;
        try {
            while (!stopRequested) {
                List<RecordedEvent> batch = store.awaitBatch(this, cursor, filter, BATCH);
                if (batch == null) {
                    return;
                }
                for (RecordedEvent event : batch) {
                    if (stopRequested) {
                        return;
                    }
                    current = event;
                    handler.handle(event);
                    position = event.logPosition();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.warn("subscription={} stopped: handler failed on event={} position={}", name,
                    current == null ? null : current.eventId(), current == null ? null : current.logPosition(), t);
        } finally {
            stopRequested = true;
            store.forget(this);
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stopRequested = true;
        store.wakeSubscriptions();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public LogPosition position() {
        return position;
    }

    @Override
    public boolean awaitPosition(LogPosition target, Duration timeout) throws InterruptedException {
        return LogProgress.await(store, filter, this::position, this::isRunning, target, timeout);
    }

    @Override
    public String toString() {
        return "InMemorySubscription[" + name + ", position=" + position + "]";
    }
}
