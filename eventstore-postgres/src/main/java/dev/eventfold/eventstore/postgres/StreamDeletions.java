package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.internal.RequestChecks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The store's {@link dev.eventfold.eventstore.StreamAdministration}: tombstones and soft deletes through the SQL
 * functions of {@code R__tombstone_stream.sql} (each under the stream's advisory lock, like appends), and the two
 * flags of the {@code streams} row. Thread-safe.
 */
final class StreamDeletions {

    private final DataSource dataSource;
    private final Sql sql;
    private final String schema;
    private final EventStoreLimits limits;
    private final Runnable ensureOpen;

    /**
     * @param ensureOpen run first: throws {@link dev.eventfold.eventstore.EventStoreUnavailableException} once the
     *     store is closed
     */
    StreamDeletions(DataSource dataSource, Sql sql, String schema, EventStoreLimits limits, Runnable ensureOpen) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.schema = schema;
        this.limits = limits;
        this.ensureOpen = ensureOpen;
    }

    void tombstone(String streamId, ExpectedVersion expected) {
        call(sql.tombstone, "tombstone", streamId, expected);
    }

    void softDelete(String streamId, ExpectedVersion expected) {
        call(sql.softDelete, "soft-delete", streamId, expected);
    }

    void restore(String streamId) {
        RequestChecks.checkStreamId(limits, streamId);
        ensureOpen.run();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.restore)) {
            statement.setString(1, streamId);
            statement.execute();
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "restore stream '" + streamId + "'", streamId, null, schema);
        }
    }

    boolean isDeleted(String streamId) {
        return flag(sql.isDeleted, streamId);
    }

    boolean isSoftDeleted(String streamId) {
        return flag(sql.isSoftDeleted, streamId);
    }

    private void call(String query, String what, String streamId, ExpectedVersion expected) {
        RequestChecks.checkStreamId(limits, streamId);
        if (expected == null) {
            throw new InvalidRequestException("expected version must not be null (use ExpectedVersion.any())");
        }
        ensureOpen.run();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, streamId);
            statement.setShort(2, Sql.mode(expected));
            statement.setLong(3, Sql.version(expected));
            statement.execute();
        } catch (SQLException e) {
            throw SqlErrors.translate(e, what + " stream '" + streamId + "'", streamId, expected, schema);
        }
    }

    private boolean flag(String query, String streamId) {
        RequestChecks.checkStreamId(limits, streamId);
        ensureOpen.run();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, streamId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "look up stream '" + streamId + "'", streamId, null, schema);
        }
    }
}
