package dev.eventfold.eventstore.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one LISTEN connection of a store. Every notification on the channel bumps the store's {@link Wakeup}, waking the
 * watchers of the categories its payload names, or every watcher when it names none (subscriptions read the log
 * themselves, so a lost or coalesced notification costs latency, never events). When the connection breaks it logs once, reconnects with backoff (100 ms doubling to 5 s) and
 * signals once it is back so subscriptions catch up; meanwhile subscriptions poll.
 *
 * <p>It waits for notifications {@link #POLL_MILLIS} at a time, which bounds how long {@link #close()} waits for the
 * thread (the driver's wait for a notification cannot be interrupted), so that closing a store's last subscription or
 * watch, which closes the listener, returns promptly and with the connection back in the pool.
 */
final class NotificationListener implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    static final String APPLICATION_NAME = "eventfold-listener";
    /**
     * The longest wait for a notification before the thread looks at whether it was stopped: what closing the listener
     * may wait (it was 500 ms, which every runner's and the last subscription's close paid). Each wait that ends
     * without a notification costs the thread CPU (the driver's timed-out read), so shorter waits cost an idle process:
     * in an idle reference server the listener took 0.8 % of a core with 20 ms and 0.3 % with 100 ms.
     */
    static final int POLL_MILLIS = 100;

    private final DataSource dataSource;
    private final String channel;
    private final Wakeup wakeup;
    private final String name;
    private final Thread thread;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile boolean connected;

    NotificationListener(DataSource dataSource, String channel, Wakeup wakeup, String name) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.wakeup = wakeup;
        this.name = name;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean isConnected() {
        return connected;
    }

    @Override
    public void run() {
        long backoffMillis = 100;
        boolean lostBefore = false;
        while (!stopped.get()) {
            Connection connection = null;
            try {
                connection = dataSource.getConnection();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET application_name = '" + APPLICATION_NAME + "'");
                    statement.execute("LISTEN " + channel);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                connected = true;
                backoffMillis = 100;
                if (lostBefore) {
                    LOG.info("listener={} channel={} reconnected; subscriptions are woken by notifications again",
                            name, channel);
                }
                wakeup.signal();
                while (!stopped.get()) {
                    PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        wakeup.signal(categories(notifications));
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN *");
                    statement.execute("RESET application_name");
                }
                connection.close();
                connection = null;
            } catch (SQLException e) {
                retire(connection);
                connected = false;
                if (stopped.get()) {
                    return;
                }
                if (!lostBefore || backoffMillis == 100) {
                    LOG.warn("listener={} channel={} lost its connection ({}); subscriptions poll until it is back,"
                            + " retrying in {} ms", name, channel, e.getMessage(), backoffMillis);
                }
                lostBefore = true;
                wakeup.signal();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            } catch (RuntimeException e) {
                retire(connection);
                connected = false;
                LOG.warn("listener={} stopped by an unexpected failure; subscriptions keep polling", name, e);
                return;
            }
        }
        connected = false;
    }

    /**
     * @return the categories the notifications name (see {@link Notifier}), or null if one of them names none (an
     *     earlier version's notification, or an append whose categories were not listed): then every watcher wakes
     */
    static Set<String> categories(PGNotification[] notifications) {
        Set<String> categories = new HashSet<>();
        for (PGNotification notification : notifications) {
            String payload = notification.getParameter();
            if (payload == null || payload.isEmpty()) {
                return null;
            }
            categories.addAll(Arrays.asList(payload.split(String.valueOf(Notifier.SEPARATOR), -1)));
        }
        return categories;
    }

    /**
     * Gives a failed listener connection back so that the pool drops it. The notifications are read through the
     * driver's own connection, so a pool wrapping it never saw the failure; one statement through the pool's handle
     * fails the same way and lets the pool see it (HikariCP then evicts the connection instead of lending it to an
     * append).
     */
    private static void retire(Connection connection) {
        if (connection == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException | RuntimeException expected) {
            // the connection is broken: that is what the pool needed to see
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // nothing more to do with a broken connection
        }
    }

    /** Stops the thread and waits for it (within {@link #POLL_MILLIS} and a round trip; at most 5 s). */
    void close() {
        stopped.set(true);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
