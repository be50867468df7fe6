package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.internal.RequestChecks;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore.Removal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The store's {@link dev.eventfold.eventstore.retention.RetentionStore}: each stream a policy names goes through
 * {@code remove_events} (R__retention.sql) in its own transaction, which computes the cut under the stream's lock,
 * archives and deletes; a category's streams are listed a page at a time. Thread-safe.
 */
final class EventRemoval {

    private static final int STREAM_PAGE = 500;

    private final DataSource dataSource;
    private final String schema;
    private final EventStoreLimits limits;
    private final Runnable ensureOpen;

    EventRemoval(DataSource dataSource, String schema, EventStoreLimits limits, Runnable ensureOpen) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.limits = limits;
        this.ensureOpen = ensureOpen;
    }

    List<Removal> removeEvents(RetentionPolicy policy, Instant now, String actor, String reason) {
        if (policy == null || now == null || actor == null || reason == null) {
            throw new InvalidRequestException("policy, now, actor and reason must not be null");
        }
        ensureOpen.run();
        Instant oldestKept = policy.oldestKept(now);
        List<Removal> removed = new ArrayList<>();
        if (policy.streamId() != null) {
            RequestChecks.checkStreamId(limits, policy.streamId());
            remove(policy, policy.streamId(), oldestKept, actor, reason, removed);
            return removed;
        }
        String after = "";
        while (true) {
            List<String> page = streams(policy.category(), after);
            for (String streamId : page) {
                remove(policy, streamId, oldestKept, actor, reason, removed);
            }
            if (page.size() < STREAM_PAGE) {
                return removed;
            }
            after = page.get(page.size() - 1);
        }
    }

    private List<String> streams(String category, String after) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT stream_id FROM " + schema
                        + ".streams WHERE " + schema + ".category(stream_id) = ? AND stream_id > ? AND NOT tombstoned"
                        + " AND NOT soft_deleted ORDER BY stream_id LIMIT " + STREAM_PAGE)) {
            select.setString(1, category);
            select.setString(2, after);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "list the streams of category '" + category + "'", category, null, schema);
        }
    }

    private void remove(RetentionPolicy policy, String streamId, Instant oldestKept, String actor, String reason,
            List<Removal> removed) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement call = connection.prepareStatement("SELECT from_version, to_version FROM " + schema
                        + ".remove_events(?, ?, ?, ?, ?, ?)")) {
            call.setString(1, streamId);
            setLong(call, 2, policy.truncateBefore());
            setLong(call, 3, policy.maxCount());
            if (oldestKept == null) {
                call.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                call.setTimestamp(4, Timestamp.from(oldestKept));
            }
            call.setString(5, actor);
            call.setString(6, reason);
            try (ResultSet rs = call.executeQuery()) {
                if (rs.next()) {
                    removed.add(new Removal(streamId, rs.getLong(1), rs.getLong(2)));
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "remove old events of stream '" + streamId + "'", streamId, null, schema);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    List<RecordedEvent> archived(String streamId) {
        RequestChecks.checkStreamId(limits, streamId);
        ensureOpen.run();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + Sql.EVENT_COLUMNS + " FROM "
                        + schema + ".events_archive e WHERE e.stream_id = ? ORDER BY e.stream_version")) {
            select.setString(1, streamId);
            List<RecordedEvent> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(Sql.event(rs, 1));
                }
            }
            return events;
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "read the archive of stream '" + streamId + "'", streamId, null, schema);
        }
    }
}
