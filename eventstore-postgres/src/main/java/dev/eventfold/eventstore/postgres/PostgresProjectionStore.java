package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionFencedException;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProjectionStore} in PostgreSQL (migration {@code V4}): projections get the {@link Connection} of the
 * transaction that also moves their checkpoint, so a read model in the same database is updated exactly once per
 * event.
 *
 * <h2>Leadership</h2>
 * A lease is a session-level advisory lock ({@code pg_try_advisory_lock}) on a key derived from schema, projection and
 * version, held by a connection taken from the data source for as long as the lease lasts; the connection's
 * {@code application_name} is set to {@code eventfold-lease:<projection>:v<version>} so operators can see who leads.
 * When the holder dies, PostgreSQL ends its session and releases the lock, and a standby's next attempt succeeds.
 * Taking the lease raises the version's fencing token in {@code projection_checkpoints}; every write then ends with
 * {@code UPDATE projection_checkpoints … WHERE fencing_token = <lease token>} in the same transaction, and rolls back
 * when that matches no row. A deposed runner that wakes up after a pause cannot write. See
 * {@code docs/adr/0003-projection-leadership.md}.
 *
 * <p>Each lease occupies one connection of the data source: size pools for it (one per led projection version).
 *
 * <p>Thread-safe.
 */
public final class PostgresProjectionStore implements ProjectionStore<Connection> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresProjectionStore.class);

    private final DataSource dataSource;
    private final DataSource leaseDataSource;
    private final String schema;
    private final String fence;
    private final String moveCheckpoint;

    private PostgresProjectionStore(DataSource dataSource, DataSource leaseDataSource, String schema) {
        this.dataSource = dataSource;
        this.leaseDataSource = leaseDataSource;
        this.schema = schema;
        this.fence = "UPDATE " + schema + ".projection_checkpoints SET updated_at = now() WHERE projection = ? AND "
                + "version = ? AND fencing_token = ?";
        this.moveCheckpoint = "UPDATE " + schema + ".projection_checkpoints SET transaction_id = ?, global_position ="
                + " ?, updated_at = now() WHERE projection = ? AND version = ? AND fencing_token = ? AND transaction_id"
                + " = ? AND global_position = ?";
    }

    /**
     * @param dataSource the database, migrated by {@link PostgresEventStoreMigrator}
     * @param schema the event store's schema
     * @return the projection store
     */
    public static PostgresProjectionStore create(DataSource dataSource, String schema) {
        return create(dataSource, dataSource, schema);
    }

    /**
     * A store whose leases take their connections from a data source of their own. A lease is a session-level
     * advisory lock, which a pooler that shares server sessions between transactions (PgBouncer in transaction mode)
     * hands to whoever runs on that session next: two runners would both lead. Give leases a data source that reaches
     * PostgreSQL directly; batches, checkpoints and read-model writes can go through the pooler. See
     * {@code docs/postgres.md}, "Behind PgBouncer".
     *
     * @param dataSource the database for batches, checkpoints and dead letters, migrated by
     *     {@link PostgresEventStoreMigrator}
     * @param leaseDataSource connects to PostgreSQL itself, one connection per held lease
     * @param schema the event store's schema
     * @return the projection store
     */
    public static PostgresProjectionStore create(DataSource dataSource, DataSource leaseDataSource, String schema) {
        if (dataSource == null) {
            throw new InvalidRequestException("dataSource must not be null");
        }
        if (leaseDataSource == null) {
            throw new InvalidRequestException("leaseDataSource must not be null");
        }
        PostgresEventStoreOptions.checkIdentifier("schema", schema, 48);
        return new PostgresProjectionStore(dataSource, leaseDataSource, schema);
    }

    @Override
    public Optional<Lease> tryLead(String projection, int version) {
        return AdvisoryLease.tryTake(leaseDataSource, schema, projection, version);
    }

    @Override
    public LogPosition checkpoint(String projection, int version) {
        return storedStatus(projection, version).map(StoredStatus::checkpoint).orElse(LogPosition.START);
    }

    @Override
    public void commit(Lease lease, LogPosition to, Work<Connection> work) throws Exception {
        inTransaction(lease, "committing a batch", connection -> {
            work.run(connection);
            moveCheckpoint(connection, lease, to);
        });
        moved(lease, to);
    }

    @Override
    public void reset(Lease lease, Work<Connection> work) throws Exception {
        inTransaction(lease, "resetting", connection -> {
            work.run(connection);
            moveCheckpoint(connection, lease, LogPosition.START);
        });
        moved(lease, LogPosition.START);
    }

    @Override
    public void deadLetter(Lease lease, RecordedEvent event, String error, int attempts, Instant at) {
        try {
            inTransaction(lease, "storing a dead letter", connection -> {
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
                        + ".projection_dead_letters (projection, version, transaction_id, global_position, stream_id,"
                        + " stream_version, event_id, event_type, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?) ON CONFLICT (projection, version, event_id) DO UPDATE SET error = "
                        + "excluded.error, attempts = excluded.attempts, failed_at = excluded.failed_at, status = "
                        + "'PENDING'")) {
                    statement.setString(1, lease.projection());
                    statement.setInt(2, lease.version());
                    statement.setLong(3, event.transactionId());
                    statement.setLong(4, event.globalPosition());
                    statement.setString(5, event.streamId());
                    statement.setLong(6, event.streamVersion());
                    statement.setObject(7, event.eventId());
                    statement.setString(8, event.type());
                    statement.setString(9, error == null ? "unknown" : error);
                    statement.setInt(10, attempts);
                    statement.setObject(11, at.atOffset(ZoneOffset.UTC));
                    statement.executeUpdate();
                }
                moveCheckpoint(connection, lease, event.logPosition());
            });
            moved(lease, event.logPosition());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The work above throws only SQLException, which inTransaction translated: not reached in practice.
            throw new EventStoreUnavailableException("projection store: " + e, e);
        }
    }

    @Override
    public List<DeadLetter> deadLetters(String projection, int version) {
        String sql = "SELECT id, transaction_id, global_position, stream_id, stream_version, event_id, event_type, "
                + "error, attempts, failed_at, status FROM " + schema + ".projection_dead_letters WHERE projection = ? "
                + "AND version = ? ORDER BY id";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, projection);
            statement.setInt(2, version);
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    letters.add(new DeadLetter(rs.getLong(1), projection, version,
                            new LogPosition(rs.getLong(2), rs.getLong(3)), rs.getString(4), rs.getLong(5),
                            rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8), rs.getInt(9),
                            rs.getObject(10, OffsetDateTime.class).toInstant(),
                            DeadLetter.Status.valueOf(rs.getString(11))));
                }
            }
            return letters;
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "listing dead letters of projection '" + projection + "' v" + version);
        }
    }

    @Override
    public int requestReplay(String projection, int version) {
        return update("requesting replays of projection '" + projection + "'", "UPDATE " + schema
                + ".projection_dead_letters SET status = 'REPLAY_REQUESTED' WHERE projection = ? AND version = ? AND "
                + "status = 'PENDING'", projection, version);
    }

    @Override
    public boolean requestReplay(String projection, int version, long deadLetterId) {
        return movePending("requesting a replay of dead letter ", "REPLAY_REQUESTED", projection, version,
                deadLetterId);
    }

    @Override
    public boolean skip(String projection, int version, long deadLetterId) {
        return movePending("skipping dead letter ", "SKIPPED", projection, version, deadLetterId);
    }

    /** Moves one pending dead letter of this projection version to {@code status}; false if there is none. */
    private boolean movePending(String what, String status, String projection, int version, long deadLetterId) {
        return update(what + deadLetterId, "UPDATE " + schema + ".projection_dead_letters SET status = ? WHERE id = ? "
                + "AND projection = ? AND version = ? AND status = 'PENDING'", status, deadLetterId, projection,
                version) == 1;
    }

    @Override
    public void replayed(Lease lease, long deadLetterId, Work<Connection> work) throws Exception {
        inTransaction(lease, "replaying a dead letter", connection -> {
            work.run(connection);
            try (PreparedStatement statement = connection.prepareStatement("UPDATE " + schema
                    + ".projection_dead_letters SET status = 'REPLAYED', attempts = attempts + 1 WHERE id = ?")) {
                statement.setLong(1, deadLetterId);
                statement.executeUpdate();
            }
            checkFence(connection, lease);
        });
    }

    @Override
    public void replayFailed(long deadLetterId, String error, Instant at) {
        update("recording a failed replay", "UPDATE " + schema + ".projection_dead_letters SET status = 'PENDING', "
                + "error = ?, attempts = attempts + 1, failed_at = ? WHERE id = ?", error, at.atOffset(ZoneOffset.UTC),
                deadLetterId);
    }

    @Override
    public OptionalInt activeVersion(String projection) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT active_version FROM " + schema + ".projections WHERE projection = ?")) {
            statement.setString(1, projection);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "reading the active version of projection '" + projection + "'");
        }
    }

    @Override
    public boolean activate(Lease lease) {
        boolean[] active = {false};
        try {
            inTransaction(lease, "activating", connection -> {
                checkFence(connection, lease);
                try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
                        + ".projections AS p (projection, active_version) VALUES (?, ?) ON CONFLICT (projection) DO "
                        + "UPDATE SET active_version = excluded.active_version, switched_at = now() WHERE "
                        + "p.active_version <= excluded.active_version RETURNING active_version")) {
                    statement.setString(1, lease.projection());
                    statement.setInt(2, lease.version());
                    try (ResultSet rs = statement.executeQuery()) {
                        active[0] = rs.next();
                    }
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // The work above throws only SQLException, which inTransaction translated: not reached in practice.
            throw new EventStoreUnavailableException("projection store: " + e, e);
        }
        return active[0];
    }

    @Override
    public void recordState(String projection, int version, ProjectionState state, String lastError) {
        update("recording the state of projection '" + projection + "'", "INSERT INTO " + schema
                + ".projection_checkpoints AS c (projection, version, state, last_error) VALUES (?, ?, ?, ?) ON "
                + "CONFLICT (projection, version) DO UPDATE SET state = excluded.state, last_error = "
                + "excluded.last_error, updated_at = now()", projection, version, state.name(), lastError);
    }

    @Override
    public Optional<StoredStatus> storedStatus(String projection, int version) {
        try (Connection connection = dataSource.getConnection()) {
            return Optional.ofNullable(storedStatus(connection, projection, version));
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "reading the checkpoint of projection '" + projection + "'");
        }
    }

    /** @return the stored status, read on {@code connection}, or null if the projection version has none */
    private StoredStatus storedStatus(Connection connection, String projection, int version) throws SQLException {
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

    @Override
    public String toString() {
        return "PostgresProjectionStore[schema=" + schema + "]";
    }

    // ---- internals ----

    private void inTransaction(Lease lease, String what, Work<Connection> work) throws Exception {
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

    /**
     * Moves the checkpoint from where the lease last saw it: a compare-and-set, so that when a commit's answer was lost
     * and its batch is tried again, the retry cannot apply the batch a second time if the first commit landed (the
     * retry waits for the first one's row lock and then finds the checkpoint moved).
     */
    private void moveCheckpoint(Connection connection, Lease lease, LogPosition to) throws SQLException {
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

    private static void moved(Lease lease, LogPosition to) {
        advisory(lease).checkpoint(to);
    }

    private static AdvisoryLease advisory(Lease lease) {
        if (lease instanceof AdvisoryLease advisory) {
            return advisory;
        }
        throw new InvalidRequestException("the lease " + lease + " was not taken from a PostgresProjectionStore");
    }

    private void checkFence(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(fence)) {
            statement.setString(1, lease.projection());
            statement.setInt(2, lease.version());
            statement.setLong(3, lease.fencingToken());
            if (statement.executeUpdate() != 1) {
                throw new ProjectionFencedException(lease.projection(), lease.version(), lease.fencingToken());
            }
        }
    }

    private int update(String what, String sql, Object... parameters) {
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

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }
}
