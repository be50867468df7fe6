package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.projection.ProjectionFencedException;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionStore.Lease;
import dev.eventfold.eventstore.projection.ProjectionStore.StoredStatus;
import dev.eventfold.eventstore.projection.ProjectionStore.Work;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions of {@link PostgresProjectionStore} and the rows of {@code projection_checkpoints} they end with:
 * every write of a lease holder runs in one transaction that either moves the checkpoint by compare-and-set or
 * checks the fencing token, and rolls back when the lease was taken over. Also plain single-statement updates.
 */
final class FencedTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionStore.class);

    private final DataSource dataSource;
    private final String schema;
    private final String fence;
    private final String moveCheckpoint;

    FencedTransactions(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.fence = "UPDATE " + schema + ".projection_checkpoints SET updated_at = now() WHERE projection = ? AND "
                + "version = ? AND fencing_token = ?";
        this.moveCheckpoint = "UPDATE " + schema + ".projection_checkpoints SET transaction_id = ?, global_position ="
                + " ?, updated_at = now() WHERE projection = ? AND version = ? AND fencing_token = ? AND transaction_id"
                + " = ? AND global_position = ?";
    }

    /** Runs {@code work} in one transaction; SQL failures come back as {@link EventStoreUnavailableException}. */
    void run(Lease lease, String what, Work<Connection> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (Exception e) {
                rollbackQuietly(connection);
                if (e instanceof SQLException) {
                    throw SqlErrors.unavailable((SQLException) e, what + " for projection '" + lease.projection()
                            + "' v" + lease.version());
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, what + " for projection '" + lease.projection() + "' v" + lease.version());
        }
    }

    /** Like {@link #run}, for work that throws only {@link SQLException} (which {@code run} translates). */
    void runSql(Lease lease, String what, Work<Connection> work) {
        try {
            run(lease, what, work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Not reached in practice: the work throws only SQLException, which run translated.
            throw new EventStoreUnavailableException("projection store: " + e, e);
        }
    }

    /**
     * Moves the checkpoint from where the lease last saw it: a compare-and-set, so that when a commit's answer was lost
     * and its batch is tried again, the retry cannot apply the batch a second time if the first commit landed (the
     * retry waits for the first one's row lock and then finds the checkpoint moved).
     */
    void moveCheckpoint(Connection connection, Lease lease, LogPosition to) throws SQLException {
        LogPosition from = advisory(lease).checkpoint();
        try (PreparedStatement statement = connection.prepareStatement(moveCheckpoint)) {
            statement.setLong(1, to.transactionId());
            statement.setLong(2, to.globalPosition());
            statement.setString(3, lease.projection());
            statement.setInt(4, lease.version());
            statement.setLong(5, lease.fencingToken());
            statement.setLong(6, from.transactionId());
            statement.setLong(7, from.globalPosition());
            if (statement.executeUpdate() == 1) {
                return;
            }
        }
        StoredStatus stored = storedStatus(connection, lease.projection(), lease.version());
        if (stored == null || stored.fencingToken() != lease.fencingToken()) {
            throw new ProjectionFencedException(lease.projection(), lease.version(), lease.fencingToken());
        }
        advisory(lease).checkpoint(stored.checkpoint());
        throw new EventStoreUnavailableException("moving the checkpoint of projection '" + lease.projection() + "' v"
                + lease.version() + ": it is at " + stored.checkpoint() + ", not at " + from + " where this runner left "
                + "it (a commit whose answer was lost has landed, or a failover lost acknowledged ones); the runner "
                + "goes on from the stored checkpoint", null);
    }

    /** The transaction that moved the checkpoint to {@code to} has committed: the next move starts from there. */
    static void moved(Lease lease, LogPosition to) {
        advisory(lease).checkpoint(to);
    }

    /** Fails the transaction with {@link ProjectionFencedException} unless the lease's token is still the stored one. */
    void checkFence(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(fence)) {
            statement.setString(1, lease.projection());
            statement.setInt(2, lease.version());
            statement.setLong(3, lease.fencingToken());
            if (statement.executeUpdate() != 1) {
                throw new ProjectionFencedException(lease.projection(), lease.version(), lease.fencingToken());
            }
        }
    }

    /** @return the stored status, read on {@code connection}, or null if the projection version has none */
    StoredStatus storedStatus(Connection connection, String projection, int version) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT transaction_id, global_position, "
                + "state, last_error, fencing_token, updated_at FROM " + schema + ".projection_checkpoints "
                + "WHERE projection = ? AND version = ?")) {
            statement.setString(1, projection);
            statement.setInt(2, version);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new StoredStatus(new LogPosition(rs.getLong(1), rs.getLong(2)),
                        ProjectionState.valueOf(rs.getString(3)), rs.getString(4), rs.getLong(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant());
            }
        }
    }

    /** Runs one statement outside any lease's transaction; @return the rows it changed */
    int update(String what, String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, what);
        }
    }

    private static AdvisoryLease advisory(Lease lease) {
        if (lease instanceof AdvisoryLease advisory) {
            return advisory;
        }
        throw new InvalidRequestException("the lease " + lease + " was not taken from a PostgresProjectionStore");
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }
}
