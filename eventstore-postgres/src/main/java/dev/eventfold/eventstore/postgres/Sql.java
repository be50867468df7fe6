package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of one store (schema-qualified once, at construction) and the mapping between rows and events (the
 * metadata column through {@link MetadataJson}).
 *
 * <p>Reads of the log return only rows written by transactions older than the oldest one still running
 * ({@code transaction_id < pg_snapshot_xmin(pg_current_snapshot())}), in (transaction id, global position) order,
 * after a checkpoint pair; see docs/adr/0002-gap-safety.md. Stream reads join the streams row so a tombstone is seen
 * in the same round trip.
 */
final class Sql {

    /** Stream states in column 1 of a stream read. */
    static final int VISIBLE = 0;
    static final int SOFT_DELETED = 1;
    static final int TOMBSTONED = 2;


    static final String EVENT_COLUMNS = "e.global_position, e.transaction_id::text::bigint, e.stream_id, "
            + "e.stream_version, e.event_id, e.event_type, e.payload::text, e.metadata::text, e.recorded_at";

    /** A batch, or a single event the plain statements left unanswered: {@code append_events}. */
    final String append;
    /** The single-event statements of {@code append-one.sql} (parameters and columns described there). */
    final String appendToStream;
    final String appendToNewStream;
    /** Single-event appends of several callers to distinct streams ({@link AppendCoalescer}). */
    final String appendToStreams;
    final String appendRetry;
    final String tombstone;
    final String softDelete;
    final String restore;
    final String isSoftDeleted;
    final String isDeleted;
    final String readForward;
    final String readBackward;
    final String readForFolding;
    final String horizon;
    private final String schema;

    Sql(String schema) {
        this.schema = schema;
        // The fourth column tells a fresh append (the rows are this transaction's) from a retry the function answered
        // with the original rows; pg_current_xact_id() is already assigned when the function wrote.
        this.append = "SELECT stream_version, global_position, transaction_id::text::bigint, "
                + "transaction_id = pg_current_xact_id() FROM " + schema
                + ".append_events(?, ?::smallint, ?, ?, ?, ?::json[], ?::jsonb[], ?)";
        Map<String, String> single = Statements.load("append-one.sql", schema);
        this.appendToStream = single.get("append-to-stream");
        this.appendToNewStream = single.get("append-to-new-stream");
        this.appendToStreams = single.get("append-to-streams");
        this.appendRetry = "SELECT stream_version, global_position, transaction_id::text::bigint, false FROM " + schema
                + ".append_retry(?, ?::smallint, ?, ?, ?, ?::json[], ?::jsonb[])";
        this.tombstone = "SELECT " + schema + ".tombstone_stream(?, ?::smallint, ?)";
        this.isDeleted = "SELECT tombstoned FROM " + schema + ".streams WHERE stream_id = ?";
        this.softDelete = "SELECT " + schema + ".soft_delete_stream(?, ?::smallint, ?)";
        this.restore = "SELECT " + schema + ".restore_stream(?)";
        this.isSoftDeleted = "SELECT soft_deleted FROM " + schema + ".streams WHERE stream_id = ?";
        this.readForward = readStream(EVENT_COLUMNS, ">=", "ASC");
        this.readBackward = readStream(EVENT_COLUMNS, "<=", "DESC");
        // Only what a fold needs: the payload's schema version comes from the schema_version column (the database
        // keeps it from the metadata's StreamEvent.SCHEMA_VERSION_HEADER header, V7), so neither the metadata nor ids,
        // positions and timestamps cross the wire or get decoded.
        this.readForFolding = readStream("e.stream_version, e.event_type, e.payload::text, e.schema_version, "
                + "e.stream_version = s.version", ">=", "ASC");
        this.horizon = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
                + "(SELECT count(*) FROM " + schema + ".events WHERE transaction_id >= "
                + "pg_snapshot_xmin(pg_current_snapshot())), "
                + "(SELECT min(recorded_at) FROM " + schema + ".events WHERE transaction_id >= "
                + "pg_snapshot_xmin(pg_current_snapshot()))";
    }

    /**
     * A stream read: the stream's state ({@link #VISIBLE}, {@link #SOFT_DELETED}, {@link #TOMBSTONED}), then
     * {@code columns} of the events in range (null without any), then the stream's version (last column; how fresh a
     * replica's answer is).
     */
    private String readStream(String columns, String comparison, String order) {
        return "SELECT CASE WHEN s.tombstoned THEN " + TOMBSTONED + " WHEN s.soft_deleted THEN " + SOFT_DELETED
                + " ELSE " + VISIBLE + " END, " + columns + ", s.version FROM " + schema + ".streams s"
                + " LEFT JOIN LATERAL (SELECT * FROM " + schema + ".events e WHERE e.stream_id = s.stream_id"
                + " AND e.stream_version " + comparison + " ? ORDER BY e.stream_version " + order + " LIMIT ?) e"
                + " ON true WHERE s.stream_id = ?";
    }

    /** Parameters in order: transaction id (text), global position, [category], [types array], limit. */
    String readAll(EventFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS).append(" FROM ").append(schema)
                .append(".events e WHERE (e.transaction_id, e.global_position) > (?::text::xid8, ?)")
                .append(" AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())");
        if (filter.category() != null) {
            sql.append(" AND ").append(schema).append(".category(e.stream_id) = ?");
        }
        if (!filter.types().isEmpty()) {
            sql.append(" AND e.event_type = ANY (?)");
        }
        return sql.append(" ORDER BY e.transaction_id, e.global_position LIMIT ?").toString();
    }

    /** The (mode, version) pair the SQL functions take for an expected version. */
    static short mode(ExpectedVersion expected) {
        if (expected instanceof ExpectedVersion.NoStream) {
            return 1;
        }
        if (expected instanceof ExpectedVersion.StreamExists) {
            return 2;
        }
        if (expected instanceof ExpectedVersion.Exactly) {
            return 3;
        }
        return 0;
    }

    static long version(ExpectedVersion expected) {
        return expected instanceof ExpectedVersion.Exactly exactly ? exactly.version() : -1;
    }

    /** Maps the event columns starting at {@code first} (see EVENT_COLUMNS). */
    static RecordedEvent event(ResultSet rs, int first) throws SQLException {
        return new RecordedEvent(
                rs.getString(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getObject(first + 4, UUID.class),
                rs.getString(first + 5),
                // The text columns' bytes are UTF-8 already (the driver's client encoding): no decode and re-encode.
                Payload.ofJsonBytes(rs.getBytes(first + 6)),
                MetadataJson.read(rs.getBytes(first + 7)),
                rs.getObject(first + 8, OffsetDateTime.class).toInstant());
    }
}
