package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A projection version's leadership on PostgreSQL (ADR 0003): a session-level advisory lock held on a connection of its
 * own for as long as the lease lives, and the fencing token bumped in {@code projection_checkpoints} when it is taken.
 * The connection is checked at most every 500 ms ({@link #isHeld}); a lost connection means a lost lock.
 */
final class AdvisoryLease implements ProjectionStore.Lease {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionStore.class);
    private static final long VALIDATE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final String projection;
    private final int version;
    private final long token;
    private final String key;
    private final Connection connection;
    private final String applicationName;
    private long validatedAt = System.nanoTime();
    private boolean held = true;
    private volatile LogPosition checkpoint;

    private AdvisoryLease(String projection, int version, long token, String key, Connection connection,
            String applicationName, LogPosition checkpoint) {
        this.projection = projection;
        this.version = version;
        this.token = token;
        this.key = key;
        this.connection = connection;
        this.applicationName = applicationName;
        this.checkpoint = checkpoint;
    }

    /**
     * @return where this lease last saw the checkpoint: the next move must start from it, so that a commit whose answer
     *     was lost but which landed all the same is never applied a second time
     */
    LogPosition checkpoint() {
        return checkpoint;
    }

    void checkpoint(LogPosition value) {
        checkpoint = value;
    }

    @Override
    public String projection() {
        return projection;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public synchronized boolean isHeld() {
        if (held && System.nanoTime() - validatedAt > VALIDATE_EVERY_NANOS) {
            try {
                held = connection.isValid(2);
            } catch (SQLException e) {
                held = false;
            }
            validatedAt = System.nanoTime();
        }
        return held;
    }

    @Override
    public synchronized void close() {
        try {
            if (held && connection.isValid(2)) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_advisory_unlock(hashtextextended(?, 0))")) {
                    statement.setString(1, key);
                    statement.execute();
                }
                connection.setClientInfo("ApplicationName", applicationName == null ? "" : applicationName);
            }
        } catch (SQLException e) {
            LOG.debug("releasing lease {} failed: {}", key, e.toString());
        } finally {
            held = false;
            closeQuietly(connection);
        }
    }

    /**
     * Takes the lease of a projection version if no other session holds it: a session-level advisory lock on a
     * connection of its own, kept for the lease's life, and a new fencing token.
     *
     * @return the lease, or empty if another session holds it
     */
    static Optional<ProjectionStore.Lease> tryTake(DataSource dataSource, String schema, String projection,
            int version) {
        String key = schema + "/" + projection + "/v" + version;
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            boolean locked;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                statement.setString(1, key);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                }
            }
            if (!locked) {
                connection.close();
                return Optional.empty();
            }
            String applicationName = connection.getClientInfo("ApplicationName");
            connection.setClientInfo("ApplicationName", "eventfold-lease:" + projection + ":v" + version);
            long token;
            LogPosition checkpoint;
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
                    + ".projection_checkpoints (projection, version, fencing_token) VALUES (?, ?, 1) ON CONFLICT "
                    + "(projection, version) DO UPDATE SET fencing_token = projection_checkpoints.fencing_token + 1, "
                    + "updated_at = now() RETURNING fencing_token, transaction_id, global_position")) {
                statement.setString(1, projection);
                statement.setInt(2, version);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    token = rs.getLong(1);
                    checkpoint = new LogPosition(rs.getLong(2), rs.getLong(3));
                }
            }
            return Optional.of(new AdvisoryLease(projection, version, token, key, connection, applicationName,
                    checkpoint));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw SqlErrors.unavailable(e, "competing for projection '" + projection + "' v" + version);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("close failed: {}", e.toString());
            }
        }
    }
}
