package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStoreUnavailableException;
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
 * A subscription of the PostgreSQL store: a daemon thread that reads the log in pages after its position (gap-safe,
 * see {@link Sql}) and hands each event to the handler. When a read comes back empty it sleeps until a notification
 * moves the {@link Wakeup} or a backoff delay ends (10 ms doubling to {@code maxPollInterval}); the delay also
 * covers the case where events exist but wait behind the xmin horizon, which no notification announces. A database
 * outage does not end it: it logs, backs off and reads again.
 */
final class PostgresSubscription implements Subscription, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSubscription.class);

    private final PostgresEventStore store;
    private final String name;
    private final EventFilter filter;
    private final EventHandler handler;
    private final Wakeup wakeup;
    private final int pageSize;
    private final long maxPollMillis;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile LogPosition position;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    PostgresSubscription(PostgresEventStore store, String name, LogPosition after, EventFilter filter,
            EventHandler handler, Wakeup wakeup, int pageSize, Duration maxPollInterval) {
        this.store = store;
        this.name = name;
        this.filter = filter;
        this.handler = handler;
        this.wakeup = wakeup;
        this.pageSize = pageSize;
        this.maxPollMillis = maxPollInterval.toMillis();
        this.position = after;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        RecordedEvent current = null;
        int idleRounds = 0;
        boolean outage = false;
        try {
            while (!stopRequested && !store.isClosed()) {
                long seen = wakeup.generation();
                List<RecordedEvent> page;
                try {
                    page = store.readLog(position, filter, pageSize);
                    if (outage) {
                        LOG.info("subscription={} reads the log again at position={}", name, position);
                        outage = false;
                    }
                } catch (EventStoreUnavailableException e) {
                    if (!outage) {
                        LOG.warn("subscription={} cannot read the log ({}); retrying with backoff", name,
                                e.getMessage());
                        outage = true;
                    }
                    wakeup.await(seen, backoff(idleRounds++));
                    continue;
                }
                if (!page.isEmpty()) {
                    for (RecordedEvent event : page) {
                        if (stopRequested) {
                            return;
                        }
                        current = event;
                        handler.handle(event);
                        position = event.logPosition();
                    }
                    idleRounds = 0;
                    continue;
                }
                if (wakeup.await(seen, backoff(idleRounds))) {
                    idleRounds = 0;
                } else {
                    idleRounds++;
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

    private long backoff(int idleRounds) {
        return Math.min(maxPollMillis, 10L << Math.min(idleRounds, 16));
    }

    @Override
    public void close() {
        stopRequested = true;
        wakeup.signal();
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
        return "PostgresSubscription[" + name + ", position=" + position + "]";
    }
}
