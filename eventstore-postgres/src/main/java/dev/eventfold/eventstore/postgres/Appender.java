package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.internal.Appends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The store's append path (ADR 0007): a batch of one as a plain statement of {@code append-one.sql} first (with the
 * single-event appends of other threads when the database is busy: {@link AppendCoalescer}, ADR 0008), anything
 * else and whatever that statement left unanswered through {@code append_events}; an event id that is stored already
 * checked as an idempotent retry ({@code append_retry}) before the append is tried once more. Errors come back
 * translated ({@link SqlErrors}). Thread-safe.
 */
final class Appender {

    private final DataSource dataSource;
    private final Sql sql;
    private final String schema;
    private final AppendCoalescer coalescer;

    Appender(DataSource dataSource, Sql sql, String schema) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.schema = schema;
        this.coalescer = new AppendCoalescer(dataSource, sql);
    }

    /** @return the outcome; {@code replayed} when an earlier, identical append was found */
    Appends.Outcome append(String streamId, ExpectedVersion expected, List<EventData> events) {
        Batch batch = new Batch(events);
        Appends.Outcome result;
        try {
            result = appendOnce(streamId, expected, batch);
        } catch (SQLException first) {
            if (!SqlErrors.isEventIdClash(first)) {
                throw SqlErrors.translate(first, appending(streamId), streamId, expected, schema);
            }
            // An event id of the batch is stored already: this is a retry of an append that committed (answered
            // with its rows), a duplicate (EV002), or an id another append committed a moment ago in between.
            try {
                Optional<Appends.Outcome> retried = retryCheck(streamId, expected, batch);
                if (retried.isPresent()) {
                    return new Appends.Outcome(retried.get().result(), true);
                }
                result = appendOnce(streamId, expected, batch);
            } catch (SQLException second) {
                throw SqlErrors.translate(second, appending(streamId), streamId, expected, schema);
            }
        }
        return result;
    }

    /** What an append was doing, for error messages (built only when one is thrown, not on every append). */
    private static String appending(String streamId) {
        return "append to stream '" + streamId + "'";
    }

    /** The arrays of one batch, built once for the append and, if needed, the retry check. */
    private static final class Batch {
        final UUID[] ids;
        final String[] types;
        final String[] payloads;
        final String[] metadata;

        Batch(List<EventData> events) {
            int n = events.size();
            ids = new UUID[n];
            types = new String[n];
            payloads = new String[n];
            metadata = new String[n];
            for (int i = 0; i < n; i++) {
                EventData event = events.get(i);
                ids[i] = event.eventId();
                types[i] = event.type();
                payloads[i] = event.payload().asString();
                metadata[i] = MetadataJson.write(event.metadata());
            }
        }

        /** Sets the parameters from {@code first} on: expected mode, version, ids, types, payloads, metadata. */
        void bind(Connection connection, PreparedStatement statement, int first, ExpectedVersion expected)
                throws SQLException {
            statement.setShort(first, Sql.mode(expected));
            statement.setLong(first + 1, Sql.version(expected));
            statement.setArray(first + 2, connection.createArrayOf("uuid", ids));
            statement.setArray(first + 3, connection.createArrayOf("text", types));
            statement.setArray(first + 4, connection.createArrayOf("text", payloads));
            statement.setArray(first + 5, connection.createArrayOf("text", metadata));
        }
    }

    private Appends.Outcome appendOnce(String streamId, ExpectedVersion expected, Batch batch)
            throws SQLException {
        if (batch.ids.length == 1) {
            Optional<Appends.Outcome> plain = coalescer.append(new AppendCoalescer.Request(streamId,
                    Sql.mode(expected), Sql.version(expected), batch.ids[0], batch.types[0], batch.payloads[0],
                    batch.metadata[0]), () -> appendOne(streamId, expected, batch));
            if (plain.isPresent()) {
                return plain.get();
            }
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.append)) {
            statement.setString(1, streamId);
            batch.bind(connection, statement, 2, expected);
            // The SQL function can notify in the append's transaction; this store notifies after commit instead.
            statement.setString(8, null);
            return result(statement, batch.ids.length)
                    .orElseThrow(() -> new SQLException("append_events returned no rows"));
        }
    }

    /**
     * A batch of one as one plain statement of {@code append-one.sql} (no plpgsql, no arrays): to a new stream for
     * "no stream", else (exactly n, stream exists, any) to the existing stream's head. It returns no row when it did
     * not append (the expectation does not hold, the stream is deleted, "any" found no stream, a stream was created a
     * moment ago, ...), and {@code append_events} then answers: one more round trip, off the common path.
     */
    private Optional<Appends.Outcome> appendOne(String streamId, ExpectedVersion expected, Batch batch)
            throws SQLException {
        String statementSql = expected instanceof ExpectedVersion.NoStream ? sql.appendToNewStream : sql.appendToStream;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(statementSql)) {
            statement.setString(1, streamId);
            statement.setString(2, streamId);
            statement.setShort(3, Sql.mode(expected));
            statement.setLong(4, Sql.version(expected));
            statement.setString(5, streamId);
            statement.setObject(6, batch.ids[0]);
            statement.setString(7, batch.types[0]);
            statement.setString(8, batch.payloads[0]);
            statement.setString(9, batch.metadata[0]);
            return result(statement, 1);
        }
    }

    private Optional<Appends.Outcome> retryCheck(String streamId, ExpectedVersion expected, Batch batch)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.appendRetry)) {
            statement.setString(1, streamId);
            batch.bind(connection, statement, 2, expected);
            return result(statement, batch.ids.length);
        }
    }

    /**
     * Reads an append's rows: version, position, transaction id and whether that transaction is this statement's
     * (false when a function answered a retry with the original rows).
     */
    private static Optional<Appends.Outcome> result(PreparedStatement statement, int n) throws SQLException {
        List<Long> positions = new ArrayList<>(n);
        long lastVersion = -1;
        long transactionId = 0;
        boolean fresh = true;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                lastVersion = rs.getLong(1);
                positions.add(rs.getLong(2));
                transactionId = rs.getLong(3);
                fresh = rs.getBoolean(4);
            }
        }
        return positions.isEmpty() ? Optional.empty()
                : Optional.of(new Appends.Outcome(new AppendResult(lastVersion, positions, transactionId), !fresh));
    }
}
