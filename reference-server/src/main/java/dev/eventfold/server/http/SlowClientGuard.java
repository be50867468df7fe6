package dev.eventfold.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time a client may take to send a request's line and headers. Jetty's idle timeout restarts on every
 * byte, so a client that sends its headers a byte at a time would hold a connection (and, once many do, the server)
 * for as long as it likes. Every 250 ms this guard looks at each HTTP/1 connection's parser: one that has been inside
 * a request line or header block for longer than the limit is closed. Bodies are bounded separately by Jetty's minimum
 * request data rate. Connections waiting idle between keep-alive requests are not affected.
 */
final class SlowClientGuard implements Connection.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

    private final long limitNanos;
    private final Map<HttpConnection, Long> headerSince = new ConcurrentHashMap<>();
    private final AtomicLong closed = new AtomicLong();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "slow-client-guard");
        thread.setDaemon(true);
        return thread;
    });

    SlowClientGuard(Duration limit) {
        this.limitNanos = limit.toNanos();
        sweeper.scheduleWithFixedDelay(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            headerSince.put(http, 0L);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        headerSince.remove(connection);
    }

    private void sweep() {
        long now = System.nanoTime();
        headerSince.replaceAll((connection, since) -> {
            if (!connection.getParser().inHeaderState()) {
                return 0L;
            }
            if (since == 0L) {
                return now;
            }
            if (now - since > limitNanos) {
                closed.incrementAndGet();
                LOG.debug("closing connection from {}: request headers not complete after {} ms",
                        connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(limitNanos));
                connection.getEndPoint().close();
                return 0L;
            }
            return since;
        });
    }

    /** @return connections closed because their headers came too slowly */
    long closedConnections() {
        return closed.get();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
