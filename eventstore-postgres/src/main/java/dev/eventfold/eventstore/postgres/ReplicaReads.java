package dev.eventfold.eventstore.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream reads from a streaming replica, never older than what this store knows of the stream: the version of its own
 * last append to it, the version a conflict reported, or one a caller passed on (a stream this store deleted or
 * restored is known as {@code Long.MAX_VALUE}: read from the primary). When the replica has not replayed
 * that far it is asked again (2 ms doubling to 50 ms) until {@code maxWait}, then the primary answers. A replica that
 * cannot be reached is skipped for the primary. Thread-safe.
 */
final class ReplicaReads {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventStore.class);
    private static final String LAG = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
            + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            + " ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END";

    private final DataSource replica;
    private final Duration maxWait;
    private final EventReads reads;
    private final Cache<String, Long> known = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final LongAdder fromReplica = new LongAdder();
    private final LongAdder afterWaiting = new LongAdder();
    private final LongAdder fromPrimary = new LongAdder();
    private final LongAdder logFromReplica = new LongAdder();
    private final LongAdder logFromPrimary = new LongAdder();

    ReplicaReads(DataSource replica, Duration maxWait, EventReads reads) {
        this.replica = replica;
        this.maxWait = maxWait;
        this.reads = reads;
    }

    /** Records that {@code streamId} has reached at least {@code version}. */
    void saw(String streamId, long version) {
        if (version >= 0) {
            known.asMap().merge(streamId, version, Math::max);
        }
    }

    <T> List<T> stream(String query, String streamId, long fromVersion, int maxCount, EventReads.RowMapper<T> mapper) {
        Long required = known.getIfPresent(streamId);
        if (required != null && required == Long.MAX_VALUE) {
            fromPrimary.increment(); // deleted or restored by this store: nothing a replica says can be checked
            return reads.stream(query, streamId, fromVersion, maxCount, mapper);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pauseMillis = 2;
        boolean waited = false;
        try {
            while (true) {
                EventReads.StreamPage<T> page = reads.stream(replica, query, streamId, fromVersion, maxCount, mapper);
                if (required == null || page.streamVersion() >= required) {
                    (waited ? afterWaiting : fromReplica).increment();
                    return page.events();
                }
                if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    break;
                }
                Thread.sleep(pauseMillis);
                waited = true;
                pauseMillis = Math.min(50, pauseMillis * 2);
            }
        } catch (EventStoreUnavailableException e) {
            LOG.debug("replica unavailable for stream '{}', reading the primary: {}", streamId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting; the primary answers
        }
        fromPrimary.increment();
        return reads.stream(query, streamId, fromVersion, maxCount, mapper);
    }

    /**
     * A page of the log: the replica's when it fills the page, the primary's otherwise. The replica's gap-safe view
     * of the log (everything of transactions older than its xmin horizon, in log order) is a prefix of the primary's,
     * so a full page from it is the page the primary would answer; a short one may end where the replica's replay
     * ends, so the primary answers it. Catching up and rebuilds read the replica; the head of the log, the primary.
     */
    List<RecordedEvent> log(LogPosition after, EventFilter filter, int maxCount) {
        try {
            List<RecordedEvent> page = reads.log(replica, after, filter, maxCount);
            if (page.size() == maxCount) {
                logFromReplica.increment();
                return page;
            }
        } catch (EventStoreUnavailableException e) {
            LOG.debug("replica unavailable for the log after {}, reading the primary: {}", after, e.getMessage());
        }
        logFromPrimary.increment();
        return reads.log(after, filter, maxCount);
    }

    /** @return how far the replica's replay is behind, empty if it cannot tell (not a replica, not reachable) */
    Optional<Duration> lag() {
        try (Connection connection = replica.getConnection();
                PreparedStatement statement = connection.prepareStatement(LAG);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            double seconds = rs.getDouble(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
        } catch (SQLException e) {
            LOG.debug("replica lag unknown: {}", e.toString());
            return Optional.empty();
        }
    }

    ReplicaStats stats() {
        return new ReplicaStats(fromReplica.sum(), afterWaiting.sum(), fromPrimary.sum(), logFromReplica.sum(),
                logFromPrimary.sum());
    }
}
