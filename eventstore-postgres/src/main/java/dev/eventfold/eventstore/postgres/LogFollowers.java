package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.LogWatch;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.internal.LogFollower;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Who follows one store's log, and how they learn that it grew: its subscriptions ({@link LogFollower}s, which watch
 * the log like any other watcher, but a subscription to one category only for appends to it) and watchers
 * ({@code EventStore.watchLog}, e.g. projection runners) share one {@link Wakeup}, signalled after the store's own
 * appends and by one LISTEN connection, started with the first subscription or watch and given back to the pool when
 * the last one ends; the {@link Notifier} tells other processes. Thread-safe.
 */
final class LogFollowers {

    private final String name;
    private final DataSource listenerDataSource;
    private final String channel;
    private final Notifier notifier;
    private final Wakeup wakeup = new Wakeup();
    private final Set<LogFollower> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private NotificationListener listener;

    /**
     * @param channel the notification channel, or null with notifications off (followers only poll)
     */
    LogFollowers(String name, DataSource dataSource, DataSource listenerDataSource, String channel) {
        this.name = name;
        this.listenerDataSource = listenerDataSource;
        this.channel = channel;
        this.notifier = channel == null ? null : new Notifier(dataSource, channel, name + "-notifier");
    }

    /**
     * A subscription: the project's one log follower over {@code store} ({@code readAll} pages, woken through
     * {@link #watch} like every other watcher of this store).
     */
    synchronized Subscription subscribe(PostgresEventStore store, LogPosition after, EventFilter filter,
            EventHandler handler, int pageSize, Duration maxPollInterval) {
        listen();
        // A subscription to one category is woken by appends to it only (and when which categories grew is unknown).
        LogFollower subscription = new LogFollower(store, wake -> watch(filter.category(), wake),
                name + "-subscription-" + subscriptionIds.incrementAndGet(), after, filter, handler, pageSize,
                maxPollInterval, subscriptions::remove);
        subscriptions.add(subscription);
        return subscription.start();
    }

    /**
     * @param category the one category the watcher follows, or null for every append
     * @param wake called when the log may have grown there
     * @return the registration; the last one closed gives the LISTEN connection back
     */
    synchronized LogWatch watch(String category, Runnable wake) {
        listen();
        LogWatch watch = wakeup.watch(category, wake);
        return () -> {
            watch.close();
            stopListeningIfIdle();
        };
    }

    /** Starts the LISTEN connection unless it runs or notifications are off. */
    private void listen() {
        if (listener == null && channel != null) {
            listener = new NotificationListener(listenerDataSource, channel, wakeup, name + "-listener");
            listener.start();
        }
    }

    /**
     * The store appended: tell other processes, and wake this one's followers of that category if it has any.
     *
     * @param streamId the stream appended to, or null when events were written to streams not named here (an import)
     */
    void appended(String streamId) {
        String category = streamId == null ? null : Category.of(streamId);
        if (notifier != null) {
            notifier.signal(category);
        }
        if (wakeup.watched()) {
            wakeup.signal(category == null ? null : Set.of(category));
        }
    }

    /** Gives the LISTEN connection back when no subscription or watch is left (closed outside the monitor). */
    private void stopListeningIfIdle() {
        NotificationListener idle = null;
        synchronized (this) {
            if (listener != null && !wakeup.watched()) {
                idle = listener;
                listener = null;
            }
        }
        if (idle != null) {
            idle.close();
        }
    }

    /** @return whether the LISTEN connection is up (false before the first subscription or without a channel) */
    synchronized boolean isListening() {
        return listener != null && listener.isConnected();
    }

    /** @return how often followers were woken, by this store's appends or by a notification (for tests) */
    long wakeups() {
        return wakeup.generation();
    }

    /** Stops the subscriptions, the listener and the notifier. */
    void close() {
        NotificationListener current;
        synchronized (this) {
            current = listener;
        }
        wakeup.signal();
        for (LogFollower subscription : List.copyOf(subscriptions)) {
            subscription.close();
        }
        if (current != null) {
            current.close();
        }
        if (notifier != null) {
            notifier.close();
        }
    }
}
