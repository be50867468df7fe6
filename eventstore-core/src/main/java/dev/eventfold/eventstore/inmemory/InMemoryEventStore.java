package dev.eventfold.eventstore.inmemory;

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
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.internal.Appends;
import dev.eventfold.eventstore.internal.LogFollower;
import dev.eventfold.eventstore.internal.RequestChecks;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An event store held in memory: the reference model of the {@link EventStore} contract, for tests and prototypes.
 * Nothing survives the JVM.
 *
 * <p>One lock guards the whole store, so appends are serialized and every append is one "transaction": its
 * transaction id is its sequence number and log order is append order. Subscriptions are the project's one log
 * follower (a daemon thread each, reading pages of {@code readAll}) and sleep until an append signals them through
 * {@link #watchLog}, so a caught-up subscription costs no CPU.
 *
 * <p>It implements {@link StreamAdministration} (tombstones, soft deletes) and {@link RetentionStore} (removal of old
 * events into an in-memory archive) as well.
 *
 * <p>Thread-safe. Create one with {@link #create()} or {@link #builder()}.
 */
public final class InMemoryEventStore implements EventStore, StreamAdministration, RetentionStore {

    /** Subscriptions read pages of this many events (at most the limit); every append signals them: no polls. */
    private static final int SUBSCRIPTION_PAGE = 256;

    private static final AtomicInteger STORE_IDS = new AtomicInteger();

    private final EventStoreLimits limits;
    private final InstantSource clock;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private final Set<LogFollower> subscriptions = ConcurrentHashMap.newKeySet();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    // Guarded by lock.
    private final ArrayList<RecordedEvent> log = new ArrayList<>();
    private final Map<String, InMemoryStream> streams = new HashMap<>();
    private final Map<UUID, RecordedEvent> byEventId = new HashMap<>();
    private final AppendListener appendListener;
    private final StreamDeletions deletions;
    private long lastTransactionId;
    private boolean closed;

    private InMemoryEventStore(Builder builder) {
        this.limits = builder.limits;
        this.clock = builder.clock;
        this.appendListener = builder.appendListener;
        this.name = "inmemory-" + STORE_IDS.incrementAndGet();
        this.deletions = new StreamDeletions(limits, lock, streams, this::ensureOpen);
    }

    /** @return a new empty store with the default limits and the system clock */
    public static InMemoryEventStore create() {
        return builder().build();
    }

    /** @return a builder for a store with other limits or another clock */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public EventStoreLimits limits() {
        return limits;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return Appends.observed(appendListener, streamId, events, () -> appendChecked(streamId, expected, events));
    }

    private Appends.Outcome appendChecked(String streamId, ExpectedVersion expected, List<EventData> events) {
        RequestChecks.checkAppend(limits, streamId, expected, events);
        lock.lock();
        try {
            ensureOpen();
            InMemoryStream stream = streams.get(streamId);
            if (stream != null) {
                stream.checkVisible(streamId);
            }
            AppendResult retried = InMemoryRetries.resultOfRetry(byEventId, streamId, expected, events);
            if (retried != null) {
                return new Appends.Outcome(retried, true);
            }
            long current = stream == null ? ExpectedVersion.NO_STREAM : stream.version();
            if (!expected.isSatisfiedBy(current)) {
                throw new WrongExpectedVersionException(streamId, expected, current);
            }
            if (stream == null) {
                stream = new InMemoryStream();
                streams.put(streamId, stream);
            }
            long transactionId = ++lastTransactionId;
            Instant now = clock.instant();
            List<Long> positions = new ArrayList<>(events.size());
            for (EventData event : events) {
                long position = log.size() + 1L;
                RecordedEvent recorded = new RecordedEvent(streamId, stream.events.size(), position, transactionId,
                        event.eventId(), event.type(), event.payload(), event.metadata(), now);
                log.add(recorded);
                stream.events.add(recorded);
                byEventId.put(event.eventId(), recorded);
                positions.add(position);
            }
            watchers.forEach(Runnable::run);
            return new Appends.Outcome(new AppendResult(stream.version(), positions, transactionId), false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion,
            int maxCount) {
        RequestChecks.checkReadStream(limits, streamId, direction, fromVersion, maxCount);
        lock.lock();
        try {
            ensureOpen();
            InMemoryStream stream = streams.get(streamId);
            if (stream == null) {
                return List.of();
            }
            stream.checkVisible(streamId);
            List<RecordedEvent> events = stream.events;
            List<RecordedEvent> page = new ArrayList<>(Math.min(maxCount, events.size()));
            if (direction == ReadDirection.FORWARD) {
                for (long v = Math.max(fromVersion, stream.first); v < events.size() && page.size() < maxCount; v++) {
                    page.add(events.get((int) v));
                }
            } else {
                for (long v = Math.min(fromVersion, events.size() - 1L); v >= stream.first && page.size() < maxCount;
                        v--) {
                    page.add(events.get((int) v));
                }
            }
            return List.copyOf(page);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
        RequestChecks.checkReadAll(limits, after, filter, maxCount);
        lock.lock();
        try {
            ensureOpen();
            List<RecordedEvent> page = new ArrayList<>();
            scan(firstIndexAfter(after), filter, maxCount, page);
            return List.copyOf(page);
        } finally {
            lock.unlock();
        }
    }

    /** Adds up to {@code maxCount} matching events from {@code index} on; returns the index after the last scanned. */
    private int scan(int index, EventFilter filter, int maxCount, List<RecordedEvent> page) {
        int i = index;
        while (i < log.size() && page.size() < maxCount) {
            RecordedEvent event = log.get(i++);
            if (filter.matches(event) && notRemoved(event)) {
                page.add(event);
            }
        }
        return i;
    }

    private boolean notRemoved(RecordedEvent event) {
        return !deletions.removedAny() || event.streamVersion() >= streams.get(event.streamId()).first;
    }

    /** Log order is append order, so the log is sorted by log position: binary search for the first one after. */
    private int firstIndexAfter(LogPosition after) {
        int low = 0;
        int high = log.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (log.get(mid).logPosition().isAfter(after)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        RequestChecks.checkSubscribe(after, filter, handler);
        lock.lock();
        try {
            ensureOpen();
            LogFollower subscription = new LogFollower(this, name + "-subscription-" + subscriptionIds.incrementAndGet(),
                    after, filter, handler, Math.min(SUBSCRIPTION_PAGE, limits.maxEventsPerRead()), null,
                    subscriptions::remove);
            subscriptions.add(subscription);
            return subscription.start();
        } finally {
            lock.unlock();
        }
    }

    /** Calls {@code wake} after every append, on the appending thread, under the store's lock. */
    @Override
    public LogWatch watchLog(Runnable wake) {
        if (wake == null) {
            throw new InvalidRequestException("wake must not be null");
        }
        ensureOpen();
        Runnable registered = () -> wake.run(); // a new identity: the same Runnable may be registered twice
        watchers.add(registered);
        return () -> watchers.remove(registered);
    }

    @Override
    public void tombstone(String streamId, ExpectedVersion expected) {
        deletions.tombstone(streamId, expected);
    }

    @Override
    public void softDelete(String streamId, ExpectedVersion expected) {
        deletions.softDelete(streamId, expected);
    }

    @Override
    public void restore(String streamId) {
        deletions.restore(streamId);
    }

    @Override
    public List<Removal> removeEvents(RetentionPolicy policy, Instant now, String actor, String reason) {
        return deletions.removeEvents(policy, now, actor, reason);
    }

    @Override
    public List<RecordedEvent> archived(String streamId) {
        return lookUp(streamId, stream -> stream == null ? List.of() : List.copyOf(stream.archive));
    }

    @Override
    public boolean isSoftDeleted(String streamId) {
        return lookUp(streamId, stream -> stream != null && stream.softDeleted);
    }

    @Override
    public boolean isDeleted(String streamId) {
        return lookUp(streamId, stream -> stream != null && stream.tombstoned);
    }

    /** Reads something of one stream (null if it does not exist) under the lock. */
    private <R> R lookUp(String streamId, java.util.function.Function<InMemoryStream, R> read) {
        RequestChecks.checkStreamId(limits, streamId);
        lock.lock();
        try {
            ensureOpen();
            return read.apply(streams.get(streamId));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        for (LogFollower subscription : List.copyOf(subscriptions)) {
            subscription.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EventStoreUnavailableException("store " + name + " is closed", null);
        }
    }

    @Override
    public String toString() {
        return "InMemoryEventStore[" + name + "]";
    }

    /** Builds an {@link InMemoryEventStore}. Not thread-safe. */
    public static final class Builder {
        private EventStoreLimits limits = EventStoreLimits.defaults();
        private InstantSource clock = InstantSource.system();
        private AppendListener appendListener = AppendListener.NONE;

        private Builder() {
        }

        /**
         * @param value told of every append and its outcome, e.g. for metrics (default none)
         * @return this builder
         * @throws InvalidRequestException if null
         */
        public Builder appendListener(AppendListener value) {
            if (value == null) {
                throw new InvalidRequestException("appendListener must not be null");
            }
            appendListener = value;
            return this;
        }

        /**
         * @param value the limits to enforce (default {@link EventStoreLimits#defaults()})
         * @return this builder
         * @throws InvalidRequestException if null
         */
        public Builder limits(EventStoreLimits value) {
            if (value == null) {
                throw new InvalidRequestException("limits must not be null");
            }
            limits = value;
            return this;
        }

        /**
         * @param value the source of {@link RecordedEvent#recordedAt()} (default the system clock)
         * @return this builder
         * @throws InvalidRequestException if null
         */
        public Builder clock(InstantSource value) {
            if (value == null) {
                throw new InvalidRequestException("clock must not be null");
            }
            clock = value;
            return this;
        }

        /** @return a new empty store */
        public InMemoryEventStore build() {
            return new InMemoryEventStore(this);
        }
    }
}
