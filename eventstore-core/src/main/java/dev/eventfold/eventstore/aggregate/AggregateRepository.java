package dev.eventfold.eventstore.aggregate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.SerializationException;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads aggregates, runs commands through their {@link Decider} and stores the decisions, with optimistic
 * concurrency, optional snapshots and an optional in-process cache.
 *
 * <pre>{@code
 * AggregateRepository<AccountCommand, Account, AccountEvent> accounts = AggregateRepository
 *         .builder(store, Accounts.DECIDER, Accounts.EVENT_TYPES)
 *         .category("account")
 *         .snapshots(snapshotStore, StateCodec.jackson(Account.class, 1), SnapshotPolicy.defaults())
 *         .cache(10_000)
 *         .build();
 * CommandResult<Account, AccountEvent> result = accounts.handle("42", new Deposit(new BigDecimal("10.00")));
 * }</pre>
 *
 * <h2>Handling a command</h2>
 * {@link #handle(String, Object, ExpectedVersion, Metadata)} loads the state (cache, else the latest snapshot plus the
 * events after it, else all events), decides, and appends the new events with {@code ExpectedVersion.exactly} the
 * version it decided on (or {@code noStream()} for a new aggregate). If another writer got there first the append
 * fails with {@link WrongExpectedVersionException}; the repository then drops its cache entry, reloads from the store
 * and decides again, up to {@code maxAttempts} times in all (default 3), then lets the last conflict through. A
 * decision is therefore always made on the state the append proves current: a stale cache entry costs a retry, never
 * a wrong write. A command the decider rejects, or one that decides nothing, on a cached state is checked against the
 * stored version (one cheap read) and decided again on the stored state if the cache was behind, so a stale entry
 * never causes a wrong rejection either.
 *
 * <p>A caller-supplied {@link ExpectedVersion} (an HTTP {@code If-Match}, say) is checked against the current state
 * and is never retried around: if it does not hold, a {@link WrongExpectedVersionException} with the actual version
 * is thrown and nothing is appended.
 *
 * <h2>Snapshots</h2>
 * When the policy says so, the new state is serialized and saved <em>after</em> the append has returned, on a
 * background thread; failures and a full queue are counted and logged, never thrown, and never delay the append. A
 * stored snapshot whose schema version differs from the codec's, or that fails to deserialize, is ignored and counted
 * ({@link RepositoryStats#snapshotsIgnored()}) and the state is rebuilt from events; so is one whose lookup fails for
 * any reason but an unreachable store: a snapshot lookup that throws
 * {@link dev.eventfold.eventstore.EventStoreUnavailableException} fails the load with it, since replaying every event
 * from the same database in trouble would only double the wait.
 *
 * <h2>Point-in-time</h2>
 * {@link #loadAtVersion} and {@link #loadAsOf} rebuild past states; they never use or fill the cache.
 *
 * <p>Thread-safe. Methods block on the event store. {@link #close()} stops the snapshot writer after writing what it
 * has queued (for up to 5 seconds); it does not close the event store or the snapshot store.
 *
 * @param <C> the command type
 * @param <S> the state type (immutable)
 * @param <E> the event type
 */
public final class AggregateRepository<C, S, E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateRepository.class);

    private final EventTypes<E> types;
    private final String category;
    /** Null when snapshots are off. */
    private final SnapshotKeeper<S> snapshots;
    private final StateLoader<S, E> loader;
    private final Decisions<C, S, E> decisions;
    private final boolean caching;

    private AggregateRepository(Builder<C, S, E> builder) {
        EventStore store = builder.store;
        this.types = builder.types;
        this.category = builder.category;
        this.caching = builder.cacheSize > 0;
        this.snapshots = builder.snapshots == null ? null : new SnapshotKeeper<>(builder.snapshots, builder.codec,
                builder.policy, builder.snapshotQueueSize, category, builder.clock, builder.listener, this::notify);
        Cache<String, StateLoader.Loaded<S>> cache = caching
                ? Caffeine.newBuilder().maximumSize(builder.cacheSize).build() : null;
        this.loader = new StateLoader<>(store, builder.decider, types, Math.min(builder.pageSize,
                store.limits().maxEventsPerRead()), snapshots, cache, builder.listener, this::notify);
        this.decisions = new Decisions<>(store, builder.decider, types, loader, snapshots, builder.maxAttempts,
                builder.listener, this::notify);
    }

    /**
     * @param store the event store
     * @param decider the aggregate's logic
     * @param types the registry of its events
     * @param <C> the command type
     * @param <S> the state type
     * @param <E> the event type
     * @return a builder
     */
    public static <C, S, E> Builder<C, S, E> builder(EventStore store, Decider<C, S, E> decider,
            EventTypes<E> types) {
        return new Builder<>(store, decider, types);
    }

    /**
     * @param aggregateId an aggregate id
     * @return its stream id: {@code <category>-<aggregateId>}, or the id itself when no category is set
     * @throws InvalidRequestException if the id is null or empty
     */
    public String streamId(String aggregateId) {
        if (aggregateId == null || aggregateId.isEmpty()) {
            throw new InvalidRequestException("aggregate id must not be null or empty");
        }
        return category == null ? aggregateId : category + "-" + aggregateId;
    }

    /**
     * A cached state is brought up to date with the events after it (one read, usually empty), so a state changed by
     * another process, such as another replica of a service, is never answered stale.
     *
     * @param aggregateId an aggregate id
     * @return its current state; version -1 and the initial state if it has no events
     * @throws SerializationException if a stored event cannot be read
     * @throws dev.eventfold.eventstore.StreamDeletedException if its stream was deleted
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the store cannot be reached
     */
    public AggregateState<S> load(String aggregateId) {
        String streamId = streamId(aggregateId);
        StateLoader.Loaded<S> loaded = loader.loadLatest(streamId, true, true);
        return new AggregateState<>(streamId, loaded.state(), loaded.version());
    }

    /**
     * Rebuilds the state as it was right after stream version {@code version}. Uses a snapshot taken at or before that
     * version when there is a usable one.
     *
     * @param aggregateId an aggregate id
     * @param version a stream version, 0 or more
     * @return the state at that version, empty if the stream never reached it
     * @throws InvalidRequestException if {@code version} is negative
     */
    public Optional<AggregateState<S>> loadAtVersion(String aggregateId, long version) {
        String streamId = streamId(aggregateId);
        if (version < 0) {
            throw new InvalidRequestException("version must be 0 or more, was " + version);
        }
        return loader.atVersion(streamId, version);
    }

    /**
     * Rebuilds the state from the events recorded at or before {@code at} (by {@link RecordedEvent#recordedAt()}).
     * Always replays from the first event: snapshots do not record when their events were recorded.
     *
     * @param aggregateId an aggregate id
     * @param at a point in time
     * @return the state at that time, empty if the aggregate had no events yet
     */
    public Optional<AggregateState<S>> loadAsOf(String aggregateId, Instant at) {
        String streamId = streamId(aggregateId);
        if (at == null) {
            throw new InvalidRequestException("at must not be null");
        }
        return loader.asOf(streamId, at);
    }

    /**
     * Handles a command with no caller precondition and no metadata. See
     * {@link #handle(String, Object, ExpectedVersion, Metadata)}.
     *
     * @param aggregateId the aggregate id
     * @param command the command
     * @return what happened
     */
    public CommandResult<S, E> handle(String aggregateId, C command) {
        return handle(aggregateId, command, ExpectedVersion.any(), Metadata.empty());
    }

    /**
     * Loads the aggregate, decides, and appends the decision; on a version conflict reloads and decides again (see the
     * class documentation).
     *
     * @param aggregateId the aggregate id
     * @param command the command
     * @param expected the caller's precondition on the current version; {@code ExpectedVersion.any()} for none
     * @param metadata metadata for every new event (correlation id, user id…)
     * @return the new state and events
     * @throws WrongExpectedVersionException if {@code expected} does not hold, or the last attempt still lost a race
     * @throws SerializationException if a stored event cannot be read or a new one cannot be written
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the store cannot be reached
     * @throws RuntimeException whatever the decider throws to reject the command; nothing is appended then
     */
    public CommandResult<S, E> handle(String aggregateId, C command, ExpectedVersion expected, Metadata metadata) {
        if (command == null) {
            throw new InvalidRequestException("command, expected and metadata must not be null");
        }
        return handleOn(aggregateId, state -> command, expected, metadata);
    }

    /**
     * Like {@link #handle(String, Object, ExpectedVersion, Metadata)}, with the command made from the state it will be
     * decided on: {@code commandFor} sees the state each attempt loads (once per attempt, no extra read), so a caller
     * that needs the state to build or authorize the command (an owner check, a default taken from the aggregate)
     * loads the aggregate once, and a retry after a conflict builds the command again on the fresh state. An
     * exception from {@code commandFor} rejects the command like one from the decider: nothing is appended. It runs
     * before {@code expected} is checked, so an authorization failure wins over a stale precondition (a caller who
     * may not see the aggregate does not learn its version).
     *
     * @param aggregateId the aggregate id
     * @param commandFor makes the command from the current state (the decider's initial state for a new aggregate)
     * @param expected the caller's precondition on the current version; {@code ExpectedVersion.any()} for none
     * @param metadata metadata for every new event
     * @return the new state and events
     * @throws WrongExpectedVersionException if {@code expected} does not hold, or the last attempt still lost a race
     * @throws RuntimeException whatever {@code commandFor} or the decider throws to reject the command
     */
    public CommandResult<S, E> handleOn(String aggregateId, Function<? super S, ? extends C> commandFor,
            ExpectedVersion expected, Metadata metadata) {
        String streamId = streamId(aggregateId);
        if (commandFor == null || expected == null || metadata == null) {
            throw new InvalidRequestException("command, expected and metadata must not be null");
        }
        return decisions.handle(streamId, commandFor, expected, metadata);
    }

    /**
     * Drops the cached state of an aggregate, if any.
     *
     * @param aggregateId the aggregate id
     */
    public void evict(String aggregateId) {
        loader.invalidate(streamId(aggregateId));
    }

    /**
     * Drops every cached state that matches, e.g. those holding a data subject's personal data once it was forgotten.
     * A load already running when this is called may still cache what it read.
     *
     * @param state which states to drop
     * @return how many were dropped
     */
    public int evictIf(Predicate<? super S> state) {
        return loader.evictIf(state);
    }

    /** @return the counters since this repository was built */
    public RepositoryStats stats() {
        return new RepositoryStats(loader.loads.sum(), loader.eventsReplayed.sum(), loader.cacheHits.sum(),
                loader.cacheMisses.sum(), decisions.conflicts.sum(), snapshots == null ? 0 : snapshots.written.sum(),
                snapshots == null ? 0 : snapshots.ignored.sum(), snapshots == null ? 0 : snapshots.failed.sum());
    }

    /** @return how many states the cache holds (estimate), 0 without a cache */
    public long cachedStates() {
        return loader.cachedStates();
    }

    /**
     * Stops the snapshot writer after it has written what is queued, waiting up to 5 seconds.
     */
    @Override
    public void close() {
        if (snapshots != null) {
            snapshots.close();
        }
    }

    @Override
    public String toString() {
        return "AggregateRepository[category=" + category + ", types=" + types + ", cache="
                + caching + ", snapshots=" + (snapshots != null ? snapshots : "off") + "]";
    }

    private void notify(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("aggregate-repository category={} listener failed: {}", category, e.toString());
        }
    }

    /**
     * Builds an {@link AggregateRepository}; every setting is validated here, naming it. Not thread-safe.
     *
     * <table>
     *   <caption>Settings and defaults</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code category}</td><td>none: aggregate ids are stream ids</td></tr>
     *   <tr><td>{@code snapshots}</td><td>off</td></tr>
     *   <tr><td>{@code snapshotQueueSize}</td><td>1,024 pending snapshots, then new ones are dropped (counted)</td></tr>
     *   <tr><td>{@code cache}</td><td>off; on: a bounded number of states, least recently/frequently used evicted</td></tr>
     *   <tr><td>{@code maxAttempts}</td><td>3 (1 to 100): decisions per command when versions conflict</td></tr>
     *   <tr><td>{@code pageSize}</td><td>the store's {@code maxEventsPerRead}</td></tr>
     *   <tr><td>{@code listener}</td><td>none</td></tr>
     *   <tr><td>{@code clock}</td><td>the system clock (snapshot times)</td></tr>
     * </table>
     *
     * @param <C> the command type
     * @param <S> the state type
     * @param <E> the event type
     */
    public static final class Builder<C, S, E> {
        private final EventStore store;
        private final Decider<C, S, E> decider;
        private final EventTypes<E> types;
        private String category;
        private SnapshotStore snapshots;
        private StateCodec<S> codec;
        private SnapshotPolicy policy = SnapshotPolicy.never();
        private int snapshotQueueSize = 1024;
        private long cacheSize;
        private int maxAttempts = 3;
        private int pageSize = Integer.MAX_VALUE;
        private AggregateListener listener = new AggregateListener() {
        };
        private InstantSource clock = InstantSource.system();

        private Builder(EventStore store, Decider<C, S, E> decider, EventTypes<E> types) {
            if (store == null || decider == null || types == null) {
                throw new InvalidRequestException("store, decider and types must not be null");
            }
            this.store = store;
            this.decider = decider;
            this.types = types;
        }

        /**
         * @param value the category: stream ids become {@code <category>-<aggregateId>}; must not contain {@code -}
         * @return this builder
         */
        public Builder<C, S, E> category(String value) {
            if (value == null || value.isEmpty() || value.contains("-")) {
                throw new InvalidRequestException("category must be non-empty and contain no '-', was '" + value
                        + "'");
            }
            this.category = value;
            return this;
        }

        /**
         * Turns snapshots on.
         *
         * @param store where snapshots go
         * @param codec how states are written, with their schema version
         * @param snapshotPolicy when to take them
         * @return this builder
         */
        public Builder<C, S, E> snapshots(SnapshotStore store, StateCodec<S> codec, SnapshotPolicy snapshotPolicy) {
            if (store == null || codec == null || snapshotPolicy == null) {
                throw new InvalidRequestException("snapshot store, codec and policy must not be null");
            }
            this.snapshots = store;
            this.codec = codec;
            this.policy = snapshotPolicy;
            return this;
        }

        /**
         * @param value pending snapshots the writer queues before dropping new ones, 1 to 1,000,000
         * @return this builder
         */
        public Builder<C, S, E> snapshotQueueSize(int value) {
            if (value < 1 || value > 1_000_000) {
                throw new InvalidRequestException("snapshotQueueSize must be between 1 and 1000000, was " + value);
            }
            this.snapshotQueueSize = value;
            return this;
        }

        /**
         * Turns the cache on.
         *
         * @param maximumSize how many aggregate states it holds at most, 1 or more
         * @return this builder
         */
        public Builder<C, S, E> cache(long maximumSize) {
            if (maximumSize < 1) {
                throw new InvalidRequestException("cache maximumSize must be 1 or more, was " + maximumSize);
            }
            this.cacheSize = maximumSize;
            return this;
        }

        /**
         * @param value how many times a command is decided when versions conflict, 1 to 100
         * @return this builder
         */
        public Builder<C, S, E> maxAttempts(int value) {
            if (value < 1 || value > 100) {
                throw new InvalidRequestException("maxAttempts must be between 1 and 100, was " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * @param value events read per round trip when loading, 1 or more (capped at the store's maxEventsPerRead)
         * @return this builder
         */
        public Builder<C, S, E> pageSize(int value) {
            if (value < 1) {
                throw new InvalidRequestException("pageSize must be 1 or more, was " + value);
            }
            this.pageSize = value;
            return this;
        }

        /**
         * @param value the metrics hooks
         * @return this builder
         */
        public Builder<C, S, E> listener(AggregateListener value) {
            if (value == null) {
                throw new InvalidRequestException("listener must not be null");
            }
            this.listener = value;
            return this;
        }

        /**
         * @param value the clock snapshot times come from
         * @return this builder
         */
        public Builder<C, S, E> clock(InstantSource value) {
            if (value == null) {
                throw new InvalidRequestException("clock must not be null");
            }
            this.clock = value;
            return this;
        }

        /** @return the repository */
        public AggregateRepository<C, S, E> build() {
            return new AggregateRepository<>(this);
        }
    }
}
