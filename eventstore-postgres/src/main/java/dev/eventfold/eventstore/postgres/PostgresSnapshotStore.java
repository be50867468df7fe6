package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link SnapshotStore} in the {@code snapshots} table of an event store schema (migration {@code V3}). One row per
 * stream; a save is one {@code INSERT … ON CONFLICT DO UPDATE … WHERE stored version < new version}, so concurrent or
 * late writers never move a snapshot backwards and no lock is held beyond the row.
 *
 * <p>Thread-safe; every call borrows a connection from the data source for one statement.
 */
public final class PostgresSnapshotStore implements SnapshotStore {

    private final DataSource dataSource;
    private final String schema;
    private final String latest;
    private final String save;
    private final String delete;

    private PostgresSnapshotStore(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.latest = "SELECT stream_version, schema_version, state::text, taken_at FROM " + schema
                + ".snapshots WHERE stream_id = ?";
        this.save = "INSERT INTO " + schema + ".snapshots AS s (stream_id, stream_version, schema_version, state, "
                + "taken_at) VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (stream_id) DO UPDATE SET stream_version = "
                + "excluded.stream_version, schema_version = excluded.schema_version, state = excluded.state, "
                + "taken_at = excluded.taken_at WHERE s.stream_version < excluded.stream_version";
        this.delete = "DELETE FROM " + schema + ".snapshots WHERE stream_id = ?";
    }

    /**
     * @param dataSource the database, migrated by {@link PostgresEventStoreMigrator}
     * @param schema the event store's schema
     * @return the snapshot store
     * @throws InvalidRequestException if an argument is null or the schema name is malformed
     */
    public static PostgresSnapshotStore create(DataSource dataSource, String schema) {
        if (dataSource == null) {
            throw new InvalidRequestException("dataSource must not be null");
        }
        PostgresEventStoreOptions.checkIdentifier("schema", schema, 48);
        return new PostgresSnapshotStore(dataSource, schema);
    }

    @Override
    public Optional<Snapshot> latest(String streamId) {
        checkStreamId(streamId);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(latest)) {
            statement.setString(1, streamId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Snapshot(streamId, rs.getLong(1), rs.getInt(2), Payload.ofJson(rs.getString(3)),
                        rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "reading the snapshot of stream '" + streamId + "'");
        }
    }

    @Override
    public boolean save(Snapshot snapshot) {
        if (snapshot == null) {
            throw new InvalidRequestException("snapshot must not be null");
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(save)) {
            statement.setString(1, snapshot.streamId());
            statement.setLong(2, snapshot.streamVersion());
            statement.setInt(3, snapshot.schemaVersion());
            statement.setString(4, snapshot.state().asString());
            statement.setObject(5, snapshot.takenAt().atOffset(ZoneOffset.UTC));
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "saving the snapshot of stream '" + snapshot.streamId() + "'");
        }
    }

    @Override
    public void delete(String streamId) {
        checkStreamId(streamId);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setString(1, streamId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "deleting the snapshot of stream '" + streamId + "'");
        }
    }

    private static void checkStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            throw new InvalidRequestException("streamId must not be null or empty");
        }
    }

    @Override
    public String toString() {
        return "PostgresSnapshotStore[schema=" + schema + "]";
    }
}
