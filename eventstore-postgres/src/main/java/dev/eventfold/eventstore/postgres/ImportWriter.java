package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One transaction of a {@link StreamImport}: the streams' advisory locks (the appends' own, in a fixed order, before
 * anything is written, so the transaction id comes after them as ADR 0002 requires), their {@code streams} rows (none
 * may exist), then every event through {@code COPY … FROM STDIN (FORMAT csv)}. Errors come back typed.
 */
final class ImportWriter {

    private final String schema;

    ImportWriter(String schema) {
        this.schema = schema;
    }

    /** @return the events written */
    int write(DataSource dataSource, List<StreamImport.Stream> chunk) {
        String[] ids = chunk.stream().map(StreamImport.Stream::streamId).toArray(String[]::new);
        int events = events(chunk);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                lock(connection, ids);
                List<String> existing = createStreams(connection, chunk);
                if (!existing.isEmpty()) {
                    connection.rollback();
                    throw refused(connection, existing.get(0));
                }
                copy(copyIn(connection), chunk);
                connection.commit();
                return events;
            } catch (RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } catch (SQLException e) {
                rollbackQuietly(connection);
                if ("23505".equals(e.getSQLState())) {
                    throw duplicate(connection, chunk, e);
                }
                throw e; // translated below
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "import " + ids.length + " streams", ids[0], null, schema);
        }
    }

    /** @return the events of the chunk's streams */
    static int events(List<StreamImport.Stream> chunk) {
        int events = 0;
        for (StreamImport.Stream stream : chunk) {
            events += stream.events().size();
        }
        return events;
    }

    /** @return a {@code COPY} of rows into the events table, as {@link #copy} sends them */
    CopyIn copyIn(Connection connection) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + schema + ".events (stream_id, "
                + "stream_version, event_id, event_type, payload, metadata, recorded_at) FROM STDIN (FORMAT csv)");
    }

    private void lock(Connection connection, String[] ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(pg_advisory_xact_lock(k)) FROM "
                + "(SELECT DISTINCT " + schema + ".stream_lock_key(id) AS k FROM unnest(?::text[]) AS t(id) "
                + "ORDER BY 1) keys")) {
            statement.setArray(1, connection.createArrayOf("text", ids));
            statement.executeQuery().close();
        }
    }

    /** @return the ids whose stream existed already (nothing was written for them) */
    List<String> createStreams(Connection connection, List<StreamImport.Stream> chunk) throws SQLException {
        String[] ids = chunk.stream().map(StreamImport.Stream::streamId).toArray(String[]::new);
        Long[] versions = chunk.stream().map(stream -> stream.events().size() - 1L).toArray(Long[]::new);
        Set<String> created = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema + ".streams "
                + "(stream_id, version) SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT DO NOTHING "
                + "RETURNING stream_id")) {
            statement.setArray(1, connection.createArrayOf("text", ids));
            statement.setArray(2, connection.createArrayOf("bigint", versions));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getString(1));
                }
            }
        }
        List<String> existing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!created.contains(id) || !seen.add(id)) {
                existing.add(id);
            }
        }
        return existing;
    }

    /** The error for importing a stream that exists (or appears twice in the import). */
    RuntimeException refused(Connection connection, String streamId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT version, tombstoned, soft_deleted "
                + "FROM " + schema + ".streams WHERE stream_id = ?")) {
            statement.setString(1, streamId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return new InvalidEventException("stream '" + streamId + "' appears twice in one import");
                }
                if (rs.getBoolean(2) || rs.getBoolean(3)) {
                    return new StreamDeletedException(streamId, !rs.getBoolean(2));
                }
                return new WrongExpectedVersionException(streamId, ExpectedVersion.noStream(), rs.getLong(1));
            }
        }
    }

    /** The error for an event id stored already, or repeated across the imported streams. */
    private RuntimeException duplicate(Connection connection, List<StreamImport.Stream> chunk, SQLException e) {
        List<UUID> ids = new ArrayList<>();
        chunk.forEach(stream -> stream.events().forEach(event -> ids.add(event.data().eventId())));
        try (PreparedStatement statement = connection.prepareStatement("SELECT event_id, stream_id, stream_version "
                + "FROM " + schema + ".events WHERE event_id = ANY (?) LIMIT 1")) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String importing = chunk.stream().filter(stream -> stream.events().stream()
                            .anyMatch(event -> event.data().eventId().equals(id))).findFirst()
                            .map(StreamImport.Stream::streamId).orElse("?");
                    return new DuplicateEventException(id, importing, rs.getString(2), rs.getLong(3),
                            "the event id is stored already; nothing of this transaction was imported");
                }
            }
        } catch (SQLException ignored) {
            // fall through to the general answer
        }
        return new InvalidEventException("an event id appears in two imported streams (" + SqlErrors.unavailable(e,
                "import").getMessage() + "); nothing of this transaction was imported");
    }

    /**
     * Sends the chunk's events as CSV rows (every field quoted), 64 KiB at a time, so PostgreSQL parses and indexes
     * the first rows while the next are being written.
     */
    static void copy(CopyIn copy, List<StreamImport.Stream> chunk) throws SQLException {
        try {
            byte[] buffer = new byte[64 * 1024];
            int used = 0;
            StringBuilder row = new StringBuilder(512);
            for (StreamImport.Stream stream : chunk) {
                long version = 0;
                for (StreamImport.Event event : stream.events()) {
                    EventData data = event.data();
                    row.setLength(0);
                    quote(row, stream.streamId()).append(',').append(version++).append(',').append(data.eventId())
                            .append(',');
                    quote(row, data.type()).append(',');
                    quote(row, data.payload().asString()).append(',');
                    quote(row, MetadataJson.write(data.metadata())).append(',');
                    row.append(event.recordedAt() != null ? event.recordedAt().toString() : "now").append('\n');
                    byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
                    if (used + bytes.length > buffer.length) {
                        copy.writeToCopy(buffer, 0, used);
                        used = 0;
                    }
                    if (bytes.length > buffer.length) {
                        copy.writeToCopy(bytes, 0, bytes.length);
                    } else {
                        System.arraycopy(bytes, 0, buffer, used, bytes.length);
                        used += bytes.length;
                    }
                }
            }
            copy.writeToCopy(buffer, 0, used);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static StringBuilder quote(StringBuilder row, String value) {
        row.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                row.append('"');
            }
            row.append(c);
        }
        return row.append('"');
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
