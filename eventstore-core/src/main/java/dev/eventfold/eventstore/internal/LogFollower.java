package dev.eventfold.eventstore.internal;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.LogWatch;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way this project's stores follow their log for a subscription (ADR 0006): a daemon thread reads pages with
 * {@link EventStore#readAll} after its position and hands each event to the handler. When a page comes back empty it
 * sleeps on a {@link LogSignal} that the store's {@link EventStore#watchLog} moves, or until its back-off ends (10 ms
 * doubling to the maximum poll interval; the store's own gap safety can hold events back without a signal). A store
 * that cannot be reached does not end it: it logs once, backs off and reads again. A handler that throws ends it, with
 * the failure kept for {@link #failure()}.
 */
public final class LogFollower implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

    private final EventStore store;
    private final Function<Runnable, LogWatch> watch;
    private final String name;
    private final EventFilter filter;
    private final EventHandler handler;
    private final int pageSize;
    private final Duration maxPoll;
    private final Consumer<LogFollower> onStop;
    private final LogSignal signal = new LogSignal();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile LogPosition position;
    private volatile boolean stopRequested;
    private volatile Throwable failure;

    /**
     * @param store the store to read (its {@code readAll} and {@code watchLog})
     * @param name the thread's name, also in log lines
     * @param after the position to deliver events after
     * @param filter the events to deliver
     * @param handler called once per event, in log order, on the follower's thread
     * @param pageSize events per read
     * @param maxPoll the longest wait between reads while caught up; null to wait for signals only, for a store that
     *     signals every event it makes readable (the in-memory one)
     * @param onStop called on the follower's thread when it ends, for whatever reason
     */
    public LogFollower(EventStore store, String name, LogPosition after, EventFilter filter, EventHandler handler,
            int pageSize, Duration maxPoll, Consumer<LogFollower> onStop) {
        this(store, store::watchLog, name, after, filter, handler, pageSize, maxPoll, onStop);
    }

    /**
     * Like {@link #LogFollower(EventStore, String, LogPosition, EventFilter, EventHandler, int, Duration, Consumer)},
     * woken through {@code watch} instead of the store's {@code watchLog}: a store that knows which categories grew
     * can wake a follower of one category only for those.
     *
     * @param store the store to read
     * @param watch registers the follower's wake-up call, as {@link EventStore#watchLog} does
     * @param name the thread's name, also in log lines
     * @param after the position to deliver events after
     * @param filter the events to deliver
     * @param handler called once per event, in log order, on the follower's thread
     * @param pageSize events per read
     * @param maxPoll the longest wait between reads while caught up, or null to wait for signals only
     * @param onStop called on the follower's thread when it ends, for whatever reason
     */
    public LogFollower(EventStore store, Function<Runnable, LogWatch> watch, String name, LogPosition after,
            EventFilter filter, EventHandler handler, int pageSize, Duration maxPoll, Consumer<LogFollower> onStop) {
        this.store = store;
        this.watch = watch;
        this.name = name;
        this.filter = filter;
        this.handler = handler;
        this.pageSize = pageSize;
        this.maxPoll = maxPoll;
        this.onStop = onStop;
        this.position = after;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts the thread.
     *
     * @return this
     */
    public LogFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        RecordedEvent current = null;
        LogWatch watching = LogWatch.NONE;
        try {
            try {
                watching = this.watch.apply(signal::signal);
            } catch (RuntimeException e) {
                LOG.warn("subscription={} cannot watch the log, polling only: {}", name, e.toString());
            }
            int idleRounds = 0;
            boolean outage = false;
            while (!stopRequested) {
                long seen = signal.generation();
                List<RecordedEvent> page;
                try {
                    page = store.readAll(position, filter, pageSize);
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
                    signal.await(seen, LogSignal.backoff(idleRounds++, maxPoll));
                    continue;
                }
                for (RecordedEvent event : page) {
                    if (stopRequested) {
                        return;
                    }
                    current = event;
                    handler.handle(event);
                    position = event.logPosition();
                }
                if (!page.isEmpty()) {
                    idleRounds = 0;
                } else if (signal.await(seen, LogSignal.backoff(idleRounds, maxPoll))) {
                    idleRounds = 0;
                } else {
                    idleRounds++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!stopRequested) {
                failure = t;
                LOG.warn("subscription={} stopped: handler failed on event={} position={}", name,
                        current == null ? null : current.eventId(), current == null ? null : current.logPosition(),
                        t);
            }
        } finally {
            stopRequested = true;
            watching.close();
            onStop.accept(this);
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stopRequested = true;
        signal.stop();
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
        return "Subscription[" + name + ", position=" + position + "]";
    }
}
