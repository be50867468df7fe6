package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionStore.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The rows of {@code projection_dead_letters} for {@link PostgresProjectionStore}: stored in a lease's transaction
 * (beside the checkpoint move past the event), listed, and moved between {@link DeadLetter.Status statuses}. A letter
 * stored again for the same event replaces the old one's error and attempts and is pending again.
 */
final class DeadLetterTable {

    private final DataSource dataSource;
    private final String schema;
    private final FencedTransactions transactions;

    DeadLetterTable(DataSource dataSource, String schema, FencedTransactions transactions) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.transactions = transactions;
    }

    /** Stores the letter in the caller's transaction. */
    void insert(Connection connection, Lease lease, RecordedEvent event, String error, int attempts, Instant at)
            throws SQLException {
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
    }

    /** @return the letters of one projection version, oldest first */
    List<DeadLetter> list(String projection, int version) {
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

    /** @return how many pending letters of the version were marked for replay */
    int requestReplayOfAll(String projection, int version) {
        return transactions.update("requesting replays of projection '" + projection + "'", "UPDATE " + schema
                + ".projection_dead_letters SET status = 'REPLAY_REQUESTED' WHERE projection = ? AND version = ? AND "
                + "status = 'PENDING'", projection, version);
    }

    /** Moves one pending letter of this projection version to {@code status}; false if there is none. */
    boolean movePending(String what, String status, String projection, int version, long deadLetterId) {
        return transactions.update(what + deadLetterId, "UPDATE " + schema + ".projection_dead_letters SET status = ? "
                + "WHERE id = ? AND projection = ? AND version = ? AND status = 'PENDING'", status, deadLetterId,
                projection, version) == 1;
    }

    /** Marks a letter replayed, in the caller's transaction (the one that applied it). */
    void markReplayed(Connection connection, long deadLetterId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + schema
                + ".projection_dead_letters SET status = 'REPLAYED', attempts = attempts + 1 WHERE id = ?")) {
            statement.setLong(1, deadLetterId);
            statement.executeUpdate();
        }
    }

    /** A replay failed: the letter is pending again, with the new error. */
    void replayFailed(long deadLetterId, String error, Instant at) {
        transactions.update("recording a failed replay", "UPDATE " + schema + ".projection_dead_letters SET status = "
                + "'PENDING', error = ?, attempts = attempts + 1, failed_at = ? WHERE id = ?", error,
                at.atOffset(ZoneOffset.UTC), deadLetterId);
    }
}
