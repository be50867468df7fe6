package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamDeletedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The store's reads: a stream (with its state in the same round trip), a page of the log, and the reader horizon.
 * Arguments are checked by the store before they get here. Thread-safe.
 */
final class EventReads {

    private final DataSource dataSource;
    private final Sql sql;
    private final String schema;

    EventReads(DataSource dataSource, Sql sql, String schema) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.schema = schema;
    }

    /** Maps the event columns of one row of a stream read (they start at column 2). */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The events of a stream read and the stream's version where it was read ({@code -1}: no such stream there). */
    record StreamPage<T>(List<T> events, long streamVersion) {
    }

    /**
     * Runs a stream read (parameters: from version, count, stream id; column 1 the stream's state, column 2
     * null when the stream row has no events in range, the last column the stream's version) and maps its rows.
     */
    <T> List<T> stream(String query, String streamId, long fromVersion, int maxCount, RowMapper<T> mapper) {
        return stream(dataSource, query, streamId, fromVersion, maxCount, mapper).events();
    }

    /** Like {@link #stream(String, String, long, int, RowMapper)}, on {@code source}, with the stream's version. */
    <T> StreamPage<T> stream(DataSource source, String query, String streamId, long fromVersion, int maxCount,
            RowMapper<T> mapper) {
        try (Connection connection = source.getConnection();
                PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setLong(1, fromVersion);
            statement.setInt(2, maxCount);
            statement.setString(3, streamId);
            List<T> events = new ArrayList<>();
            long version = -1;
            try (ResultSet rs = statement.executeQuery()) {
                int versionColumn = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    checkVisible(rs, streamId);
                    version = rs.getLong(versionColumn);
                    if (rs.getObject(2) != null) {
                        events.add(mapper.map(rs));
                    }
                }
            }
            return new StreamPage<>(events, version);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read stream '" + streamId + "'", streamId, null, schema);
        }
    }

    /**
     * Runs a folding read (parameters as for {@link #stream}; the row's column 6 marks the stream's last event) in
     * pages of {@code pageSize} rows, each one query that pgjdbc receives whole in one round trip, and hands each
     * mapped event to {@code each} as it is read, without collecting a page, until {@code each} returns false or the
     * stream ends. Each next page starts after the version {@code version} gives for the last event handed over.
     */
    <T> void fold(String query, String streamId, long fromVersion, int pageSize, RowMapper<T> mapper,
            java.util.function.ToLongFunction<T> version, Predicate<T> each) {
        long from = fromVersion;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query)) {
            while (true) {
                statement.setLong(1, from);
                statement.setInt(2, pageSize);
                statement.setString(3, streamId);
                int rows = 0;
                boolean last = false;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        checkVisible(rs, streamId);
                        if (rs.getObject(2) == null) {
                            return;
                        }
                        T event = mapper.map(rs);
                        if (!each.test(event)) {
                            return;
                        }
                        rows++;
                        last = rs.getBoolean(6);
                        from = version.applyAsLong(event) + 1;
                    }
                }
                if (rows < pageSize || last) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read stream '" + streamId + "'", streamId, null, schema);
        }
    }

    /** Column 1 of a stream read: the stream's state. */
    private static void checkVisible(ResultSet rs, String streamId) throws SQLException {
        int state = rs.getInt(1);
        if (state != Sql.VISIBLE) {
            throw new StreamDeletedException(streamId, state == Sql.SOFT_DELETED);
        }
    }

    /** Reads one page of the log, gap-safe (see {@link Sql}). */
    List<RecordedEvent> log(LogPosition after, EventFilter filter, int maxCount) {
        return log(dataSource, after, filter, maxCount);
    }

    /** Like {@link #log(LogPosition, EventFilter, int)}, on {@code source}. */
    List<RecordedEvent> log(DataSource source, LogPosition after, EventFilter filter, int maxCount) {
        try (Connection connection = source.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.readAll(filter))) {
            int p = 1;
            statement.setString(p++, Long.toString(after.transactionId()));
            statement.setLong(p++, after.globalPosition());
            if (filter.category() != null) {
                statement.setString(p++, filter.category());
            }
            if (!filter.types().isEmpty()) {
                statement.setArray(p++, connection.createArrayOf("text", filter.types().toArray()));
            }
            statement.setInt(p, maxCount);
            List<RecordedEvent> events = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    events.add(Sql.event(rs, 1));
                }
            }
            return events;
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the log after " + after, null, null, schema);
        }
    }

    /** The xmin horizon, what waits behind it, and who holds it. */
    ReaderHorizon horizon() {
        try (Connection connection = dataSource.getConnection()) {
            long horizon;
            long heldBack;
            Optional<Instant> oldest;
            try (PreparedStatement statement = connection.prepareStatement(sql.horizon);
                    ResultSet rs = statement.executeQuery()) {
                rs.next();
                horizon = rs.getLong(1);
                heldBack = rs.getLong(2);
                Timestamp since = rs.getTimestamp(3);
                oldest = Optional.ofNullable(since).map(Timestamp::toInstant);
            }
            return new ReaderHorizon(horizon, heldBack, oldest, HorizonHolder.find(connection, horizon));
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the reader horizon", null, null, schema);
        }
    }
}
