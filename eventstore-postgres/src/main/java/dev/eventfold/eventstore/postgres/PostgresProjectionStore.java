package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

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

    private final DataSource dataSource;
    private final DataSource leaseDataSource;
    private final String schema;
    private final FencedTransactions transactions;
    private final DeadLetterTable deadLetters;

    private PostgresProjectionStore(DataSource dataSource, DataSource leaseDataSource, String schema) {
        this.dataSource = dataSource;
        this.leaseDataSource = leaseDataSource;
        this.schema = schema;
        this.transactions = new FencedTransactions(dataSource, schema);
        this.deadLetters = new DeadLetterTable(dataSource, schema, transactions);
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
        transactions.run(lease, "committing a batch", connection -> {
            work.run(connection);
            transactions.moveCheckpoint(connection, lease, to);
        });
        FencedTransactions.moved(lease, to);
    }

    @Override
    public void reset(Lease lease, Work<Connection> work) throws Exception {
        transactions.run(lease, "resetting", connection -> {
            work.run(connection);
            transactions.moveCheckpoint(connection, lease, LogPosition.START);
        });
        FencedTransactions.moved(lease, LogPosition.START);
    }

    @Override
    public void deadLetter(Lease lease, RecordedEvent event, String error, int attempts, Instant at) {
        transactions.runSql(lease, "storing a dead letter", connection -> {
            deadLetters.insert(connection, lease, event, error, attempts, at);
            transactions.moveCheckpoint(connection, lease, event.logPosition());
        });
        FencedTransactions.moved(lease, event.logPosition());
    }

    @Override
    public List<DeadLetter> deadLetters(String projection, int version) {
        return deadLetters.list(projection, version);
    }

    @Override
    public int requestReplay(String projection, int version) {
        return deadLetters.requestReplayOfAll(projection, version);
    }

    @Override
    public boolean requestReplay(String projection, int version, long deadLetterId) {
        return deadLetters.movePending("requesting a replay of dead letter ", "REPLAY_REQUESTED", projection, version,
                deadLetterId);
    }

    @Override
    public boolean skip(String projection, int version, long deadLetterId) {
        return deadLetters.movePending("skipping dead letter ", "SKIPPED", projection, version, deadLetterId);
    }

    @Override
    public void replayed(Lease lease, long deadLetterId, Work<Connection> work) throws Exception {
        transactions.run(lease, "replaying a dead letter", connection -> {
            work.run(connection);
            deadLetters.markReplayed(connection, deadLetterId);
            transactions.checkFence(connection, lease);
        });
    }

    @Override
    public void replayFailed(long deadLetterId, String error, Instant at) {
        deadLetters.replayFailed(deadLetterId, error, at);
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
        transactions.runSql(lease, "activating", connection -> {
            transactions.checkFence(connection, lease);
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
        return active[0];
    }

    @Override
    public void recordState(String projection, int version, ProjectionState state, String lastError) {
        transactions.update("recording the state of projection '" + projection + "'", "INSERT INTO " + schema
                + ".projection_checkpoints AS c (projection, version, state, last_error) VALUES (?, ?, ?, ?) ON "
                + "CONFLICT (projection, version) DO UPDATE SET state = excluded.state, last_error = "
                + "excluded.last_error, updated_at = now()", projection, version, state.name(), lastError);
    }

    @Override
    public Optional<StoredStatus> storedStatus(String projection, int version) {
        try (Connection connection = dataSource.getConnection()) {
            return Optional.ofNullable(transactions.storedStatus(connection, projection, version));
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "reading the checkpoint of projection '" + projection + "'");
        }
    }

    @Override
    public String toString() {
        return "PostgresProjectionStore[schema=" + schema + "]";
    }
}
