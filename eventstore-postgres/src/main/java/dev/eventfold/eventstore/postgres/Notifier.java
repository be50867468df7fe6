package dev.eventfold.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the store's NOTIFY after appends commit, on its own thread and in its own transaction, coalescing every append
 * that committed while a notification was on its way into the next one.
 *
 * <p>Why not {@code pg_notify} inside the append: PostgreSQL serializes the commits of all notifying transactions on one
 * cluster-wide lock held through the commit's WAL flush, so concurrent appends could no longer share a flush (group
 * commit) and throughput stayed at one writer's. Here the appends commit freely and at most one notification per round
 * trip is sent, with {@code synchronous_commit} off for that transaction (a notification needs no durability). It
 * also sends at most one notification per {@link #MIN_INTERVAL_NANOS} (2 ms): under a heavy append load a notification
 * per append would double the transactions the database commits, for subscribers that read whole pages anyway.
 *
 * <p>The payload names the categories appended to since the last notification, one per line, so that a listener wakes
 * only the subscriptions of those categories; an empty payload (sent when that is not known, and by earlier versions)
 * means any category.
 *
 * <p>A notification is a hint: subscribers read the log themselves and poll on their own, so a notification lost to a
 * crash between the append's commit and the NOTIFY costs latency (up to the subscribers' poll interval), never events.
 */
final class Notifier implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final String NOTIFY = "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, ?)";
    static final long MIN_INTERVAL_NANOS = 2_000_000L;
    /** Payloads stay well below PostgreSQL's limit of 8,000 bytes (UTF-8); longer ones become "every category". */
    static final int MAX_PAYLOAD = 4_000;
    /** Separates categories in a payload; a category holding it makes the payload "every category". */
    static final char SEPARATOR = '\n';

    private final DataSource dataSource;
    private final String channel;
    private final String name;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pendingChanged = lock.newCondition();
    private boolean pending;
    /** The categories appended to since the last notification; null when not known (an import). */
    private Set<String> categories = new LinkedHashSet<>();
    private boolean stopped;
    private volatile boolean failing;

    Notifier(DataSource dataSource, String channel, String name) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.name = name;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Asks for a notification after an append committed; returns at once.
     *
     * @param category the category appended to, or null when not known
     */
    void signal(String category) {
        lock.lock();
        try {
            if (category == null) {
                categories = null;
            } else if (categories != null) {
                categories.add(category);
            }
            if (!pending) {
                pending = true;
                pendingChanged.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        while (true) {
            boolean last;
            String payload;
            lock.lock();
            try {
                while (!pending && !stopped) {
                    pendingChanged.awaitUninterruptibly();
                }
                if (!pending) {
                    return;
                }
                pending = false;
                last = stopped;
                payload = payload(categories);
                categories = new LinkedHashSet<>();
            } finally {
                lock.unlock();
            }
            long sent = System.nanoTime();
            send(payload);
            if (last) {
                return;
            }
            spaceOut(sent);
        }
    }

    /** Waits until {@link #MIN_INTERVAL_NANOS} after the last notification began (or until closed). */
    private void spaceOut(long sent) {
        lock.lock();
        try {
            long wait;
            while (!stopped && (wait = sent + MIN_INTERVAL_NANOS - System.nanoTime()) > 0) {
                pendingChanged.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The categories, one per line; empty, which listeners read as "any category", when not known, when a category
     * holds a line break, or when the list would be long.
     */
    static String payload(Set<String> categories) {
        if (categories == null) {
            return "";
        }
        StringBuilder payload = new StringBuilder();
        int bytes = 0;
        for (String category : categories) {
            if (category.indexOf(SEPARATOR) >= 0
                    || bytes + category.getBytes(StandardCharsets.UTF_8).length + 1 >= MAX_PAYLOAD) {
                return "";
            }
            if (payload.length() > 0) {
                payload.append(SEPARATOR);
            }
            payload.append(category);
            bytes += category.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return payload.toString();
    }

    private void send(String payload) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(NOTIFY)) {
            statement.setString(1, channel);
            statement.setString(2, payload);
            statement.execute();
            if (failing) {
                failing = false;
                LOG.info("notifier={} channel={} sends notifications again", name, channel);
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("notifier={} channel={} could not send a notification ({}); subscribers see new events at "
                        + "their next poll", name, channel, e.getMessage());
            }
            pause();
        }
    }

    /** After a failure, waits a little so a database outage does not turn into a busy loop. */
    private void pause() {
        lock.lock();
        try {
            if (!stopped) {
                pendingChanged.awaitNanos(100_000_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is pending, then stops the thread. */
    void close() {
        lock.lock();
        try {
            stopped = true;
            pendingChanged.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
