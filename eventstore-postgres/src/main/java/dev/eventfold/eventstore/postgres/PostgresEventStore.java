package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.LogWatch;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.StreamEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.internal.Appends;
import dev.eventfold.eventstore.internal.RequestChecks;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The {@link EventStore} on PostgreSQL.
 *
 * <ul>
 *   <li><b>Append</b>: one round trip and one commit: a plain statement for one event with an exact or no-stream
 *       expected version (falling back to {@code append_event} when that expectation does not hold), otherwise one
 *       call of a SQL function ({@code append_event} for one event, {@code append_events} with arrays and
 *       {@code unnest} for a batch). Each takes the stream's lock (so appends to one stream are serialized, appends to
 *       different streams are not: there is no global or per-category lock), checks the expected version and inserts;
 *       the unique index on event ids catches retries, which a second function answers. Failures come back as
 *       dedicated SQLSTATEs and are translated in one class.</li>
 *   <li><b>The log</b> is read in (writing transaction id, global position) order, only below the xmin horizon, so no
 *       reader skips an event whatever order transactions commit in. {@link #readerHorizon()} tells what holds readers
 *       back.</li>
 *   <li><b>Subscriptions</b> read the log in pages and are woken by LISTEN/NOTIFY through one listener connection per
 *       store; when that connection breaks they poll with backoff until it is back.</li>
 * </ul>
 *
 * <p>The schema must exist: run {@link PostgresEventStoreMigrator#migrate} first. The store borrows connections from
 * the given {@link DataSource} and does not close it. Thread-safe.
 */
public final class PostgresEventStore implements EventStore, StreamAdministration, RetentionStore {

    private static final AtomicInteger STORE_IDS = new AtomicInteger();
    private static final int FOLD_PAGE = 10_000;

    private final DataSource dataSource;
    private final ReplicaReads replica;
    private final PostgresEventStoreOptions options;
    private final Sql sql;
    private final StreamDeletions deletions;
    private final EventRemoval removal;
    private final Appender appender;
    private final EventReads reads;
    private final String name;
    private final LogFollowers followers;
    private final AppendListener appendListener;
    private volatile boolean closed;

    private PostgresEventStore(DataSource dataSource, DataSource listenerDataSource, DataSource replicaDataSource,
            Duration replicaMaxWait, PostgresEventStoreOptions options, AppendListener appendListener) {
        this.dataSource = dataSource;
        this.options = options;
        this.appendListener = appendListener;
        this.sql = new Sql(options.schema());
        this.deletions = new StreamDeletions(dataSource, sql, options.schema(), options.limits(), this::ensureOpen);
        this.removal = new EventRemoval(dataSource, options.schema(), options.limits(), this::ensureOpen);
        this.appender = new Appender(dataSource, sql, options.schema());
        this.reads = new EventReads(dataSource, sql, options.schema());
        this.replica = replicaDataSource == null ? null : new ReplicaReads(replicaDataSource, replicaMaxWait, reads);
        this.name = "postgres-" + options.schema() + "-" + STORE_IDS.incrementAndGet();
        this.followers = new LogFollowers(name, dataSource, listenerDataSource, options.notificationChannel());
    }

    /**
     * @param dataSource the pool to borrow connections from (see {@link PostgresPool})
     * @return a builder with the defaults of {@link PostgresEventStoreOptions}
     * @throws InvalidRequestException if the data source is null
     */
    public static Builder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw new InvalidRequestException("dataSource must not be null");
        }
        return new Builder(dataSource);
    }

    /** @return the settings of this store */
    public PostgresEventStoreOptions options() {
        return options;
    }

    @Override
    public EventStoreLimits limits() {
        return options.limits();
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return Appends.observed(appendListener, streamId, events, () -> appendChecked(streamId, expected, events));
    }

    private Appends.Outcome appendChecked(String streamId, ExpectedVersion expected, List<EventData> events) {
        RequestChecks.checkAppend(options.limits(), streamId, expected, events);
        ensureOpen();
        Appends.Outcome result;
        try {
            result = appender.append(streamId, expected, events);
        } catch (WrongExpectedVersionException e) {
            if (replica != null) {
                replica.saw(streamId, e.actual()); // a retry after the conflict must read at least that far
            }
            throw e;
        }
        if (replica != null) {
            replica.saw(streamId, result.result().nextExpectedVersion());
        }
        if (!result.replayed()) {
            followers.appended(streamId);
        }
        return result;
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion,
            int maxCount) {
        RequestChecks.checkReadStream(options.limits(), streamId, direction, fromVersion, maxCount);
        ensureOpen();
        String query = direction == ReadDirection.FORWARD ? sql.readForward : sql.readBackward;
        EventReads.RowMapper<RecordedEvent> mapper = rs -> Sql.event(rs, 2);
        return replica == null ? reads.stream(query, streamId, fromVersion, maxCount, mapper)
                : replica.stream(query, streamId, fromVersion, maxCount, mapper);
    }

    @Override
    public List<StreamEvent> readStreamForFolding(String streamId, long fromVersion, int maxCount) {
        RequestChecks.checkReadStream(options.limits(), streamId, ReadDirection.FORWARD, fromVersion, maxCount);
        ensureOpen();
        EventReads.RowMapper<StreamEvent> mapper = foldingRow(streamId);
        return replica == null ? reads.stream(sql.readForFolding, streamId, fromVersion, maxCount, mapper)
                : replica.stream(sql.readForFolding, streamId, fromVersion, maxCount, mapper);
    }

    /**
     * Pages of 10,000 events (the default reads pages of {@code maxEventsPerRead}), each one query received in one
     * round trip and folded row by row as it is read, so no page of events is collected and a stream of up to 10,000
     * events is one round trip. With a read replica the default's pages are kept: their freshness is checked per page.
     */
    @Override
    public void foldStream(String streamId, long fromVersion, Predicate<StreamEvent> each) {
        if (replica != null) {
            EventStore.super.foldStream(streamId, fromVersion, each);
            return;
        }
        RequestChecks.checkReadStream(options.limits(), streamId, ReadDirection.FORWARD, fromVersion, 1);
        if (each == null) {
            throw new InvalidRequestException("each must not be null");
        }
        ensureOpen();
        reads.fold(sql.readForFolding, streamId, fromVersion, FOLD_PAGE, foldingRow(streamId),
                StreamEvent::streamVersion, each);
    }

    /** Maps a row of {@code Sql.readForFolding} (version, type, payload, schema version, last). */
    private static EventReads.RowMapper<StreamEvent> foldingRow(String streamId) {
        return rs -> new StreamEvent(streamId, rs.getLong(2), rs.getString(3), rs.getString(5),
                Payload.ofJsonBytes(rs.getBytes(4)), rs.getBoolean(6));
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
        RequestChecks.checkReadAll(options.limits(), after, filter, maxCount);
        ensureOpen();
        return replica == null ? reads.log(after, filter, maxCount) : replica.log(after, filter, maxCount);
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        RequestChecks.checkSubscribe(after, filter, handler);
        synchronized (this) {
            ensureOpen();
            return followers.subscribe(this, after, filter, handler, options.pageSize(), options.maxPollInterval());
        }
    }

    /**
     * Calls {@code wake} after this store's own appends and, unless notifications are off, on every notification of
     * another process's append (the store's LISTEN connection starts with the first watch or subscription).
     */
    @Override
    public LogWatch watchLog(Runnable wake) {
        if (wake == null) {
            throw new InvalidRequestException("wake must not be null");
        }
        synchronized (this) {
            ensureOpen();
            return followers.watch(null, wake);
        }
    }

    /** @return the primary's data source (for {@link StreamImport}) */
    DataSource dataSource() {
        ensureOpen();
        return dataSource;
    }

    /** Events were written by this process outside {@link #append} (an import): wake readers as an append does. */
    void appendedElsewhere() {
        followers.appended(null);
    }

    /** @return whether the LISTEN connection is up (false before the first subscription or without a channel) */
    boolean isListening() {
        return followers.isListening();
    }

    /**
     * Tells the store that a stream has reached at least {@code version}, e.g. from the version a client saw (an
     * {@code ETag}), so that the next reads of it from the read replica are at least that fresh. Without a read
     * replica it does nothing.
     *
     * @param streamId the stream
     * @param version a stream version; negative values are ignored
     */
    public void expectAtLeast(String streamId, long version) {
        if (replica != null && streamId != null) {
            replica.saw(streamId, version);
        }
    }

    /**
     * @return how far the read replica's replay is behind the primary (0 when it has replayed all it received),
     *     empty without a read replica or when it cannot be asked
     */
    public Optional<Duration> replicaLag() {
        return replica == null ? Optional.empty() : replica.lag();
    }

    /** @return where stream reads and {@code readAll} pages were answered, empty without a read replica */
    public Optional<ReplicaStats> replicaStats() {
        return replica == null ? Optional.empty() : Optional.of(replica.stats());
    }

    /** @return how often subscriptions were woken, by this store's appends or by a notification (for tests) */
    long wakeups() {
        return followers.wakeups();
    }

    @Override
    public void tombstone(String streamId, ExpectedVersion expected) {
        deletions.tombstone(streamId, expected);
        readFromPrimary(streamId);
    }

    @Override
    public boolean isDeleted(String streamId) {
        return deletions.isDeleted(streamId);
    }

    @Override
    public void softDelete(String streamId, ExpectedVersion expected) {
        deletions.softDelete(streamId, expected);
        readFromPrimary(streamId);
    }

    @Override
    public void restore(String streamId) {
        deletions.restore(streamId);
        readFromPrimary(streamId);
    }

    /** A deletion has no version a replica could be checked against: this store reads the stream from the primary. */
    private void readFromPrimary(String streamId) {
        if (replica != null) {
            replica.saw(streamId, Long.MAX_VALUE);
        }
    }

    @Override
    public boolean isSoftDeleted(String streamId) {
        return deletions.isSoftDeleted(streamId);
    }

    @Override
    public List<Removal> removeEvents(RetentionPolicy policy, Instant now, String actor, String reason) {
        return removal.removeEvents(policy, now, actor, reason);
    }

    @Override
    public List<RecordedEvent> archived(String streamId) {
        return removal.archived(streamId);
    }

    /**
     * Tells what holds readers of the log back: the xmin horizon, how many committed events wait behind it, and the
     * oldest running transaction (the one to look at, or end, when subscriptions and projections stall).
     *
     * @return the current horizon
     * @throws EventStoreUnavailableException if PostgreSQL cannot be reached
     */
    public ReaderHorizon readerHorizon() {
        ensureOpen();
        return reads.horizon();
    }

    private void ensureOpen() {
        if (closed) {
            throw new EventStoreUnavailableException("store " + name + " is closed", null);
        }
    }

    /** Stops the subscriptions and the listener connection. The data source stays open. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        followers.close();
    }

    @Override
    public String toString() {
        return "PostgresEventStore[" + name + "]";
    }

    /** Builds a {@link PostgresEventStore}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private DataSource listenerDataSource;
        private DataSource replicaDataSource;
        private Duration replicaMaxWait = Duration.ZERO;
        private String schema = "eventstore";
        private EventStoreLimits limits = EventStoreLimits.defaults();
        private String notificationChannel;
        private boolean notifications = true;
        private int pageSize = 500;
        private Duration maxPollInterval = Duration.ofSeconds(1);
        private AppendListener appendListener = AppendListener.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * @param value told of every append and its outcome, e.g. for metrics (default none)
         * @return this builder
         */
        public Builder appendListener(AppendListener value) {
            appendListener = value;
            return this;
        }

        /**
         * @param value the schema (default {@code eventstore})
         * @return this builder
         */
        public Builder schema(String value) {
            schema = value;
            return this;
        }

        /**
         * @param value the limits (default {@link EventStoreLimits#defaults()})
         * @return this builder
         */
        public Builder limits(EventStoreLimits value) {
            limits = value;
            return this;
        }

        /**
         * @param value the LISTEN/NOTIFY channel (default {@code <schema>_events})
         * @return this builder
         */
        public Builder notificationChannel(String value) {
            notificationChannel = value;
            notifications = true;
            return this;
        }

        /**
         * Where the listener connection comes from. {@code LISTEN} belongs to a database session, so behind a pooler
         * that shares server sessions between transactions (PgBouncer in transaction mode) the listener must reach
         * PostgreSQL directly, or it hears nothing and subscriptions fall back to polling. Appends and reads stay on
         * the main data source. See {@code docs/postgres.md}, "Behind PgBouncer".
         *
         * @param value a data source that connects to PostgreSQL itself, not through a transaction pooler (default:
         *     the store's data source); the store takes one connection from it while any subscription runs
         * @return this builder
         */
        public Builder listenerDataSource(DataSource value) {
            listenerDataSource = value;
            return this;
        }

        /**
         * Sends stream reads ({@code readStream}, {@code readStreamForFolding}, and so aggregate loads) to a streaming
         * replica of the database, never answering older than what this store knows of a stream: its own last
         * append to it, the version a conflict reported, or one passed to {@link #expectAtLeast}. A replica behind
         * that is asked again until {@code maxWait}, then the primary answers ({@link #replicaStats()} counts
         * which). A {@code readAll} page comes from the replica when the replica fills it (its gap-safe view of the
         * log is a prefix of the primary's, so a full page is the one the primary would answer) and from the primary
         * when it does not: reading history and rebuilding read models load the replica, the head of the log is
         * always the primary's. Appends, subscriptions, projections and administration always use the primary.
         * Gap safety holds on the replica too: its snapshots come from the primary's running transactions, shipped in
         * the WAL. See {@code docs/postgres.md}, "Read replicas".
         *
         * @param replica a data source on a hot standby of this store's database (PostgreSQL streaming replication)
         * @param maxWait how long a read waits for the replica to catch up before the primary answers; zero asks the
         *     primary at once
         * @return this builder
         * @throws InvalidRequestException if {@code replica} is null or {@code maxWait} is negative or over a minute
         */
        public Builder readReplica(DataSource replica, Duration maxWait) {
            if (replica == null) {
                throw new InvalidRequestException("replica must not be null");
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new InvalidRequestException("maxWait must be between 0 and 1 minute, was " + maxWait);
            }
            replicaDataSource = replica;
            replicaMaxWait = maxWait;
            return this;
        }

        /**
         * Turns LISTEN/NOTIFY off: appends send no notification, subscriptions poll.
         * @return this builder
         */
        public Builder withoutNotifications() {
            notifications = false;
            return this;
        }

        /**
         * @param value events a subscription reads per round trip (default 500)
         * @return this builder
         */
        public Builder pageSize(int value) {
            pageSize = value;
            return this;
        }

        /**
         * @param value the longest a caught-up subscription waits between reads (default 1 s)
         * @return this builder
         */
        public Builder maxPollInterval(Duration value) {
            maxPollInterval = value;
            return this;
        }

        /**
         * Validates the settings and checks that the schema was migrated.
         *
         * @return the store
         * @throws InvalidRequestException if a setting is invalid
         * @throws EventStoreUnavailableException if PostgreSQL cannot be reached or the schema is missing
         */
        public PostgresEventStore build() {
            String channel = notifications ? (notificationChannel != null ? notificationChannel : schema + "_events")
                    : null;
            PostgresEventStoreOptions options = new PostgresEventStoreOptions(schema, limits, channel, pageSize,
                    maxPollInterval);
            if (appendListener == null) {
                throw new InvalidRequestException("appendListener must not be null");
            }
            SchemaCheck.check(dataSource, schema);
            return new PostgresEventStore(dataSource, listenerDataSource == null ? dataSource : listenerDataSource,
                    replicaDataSource, replicaMaxWait, options, appendListener);
        }
    }
}
