package dev.eventfold.eventstore.aggregate;

import com.github.benmanes.caffeine.cache.Cache;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import dev.eventfold.eventstore.serialization.EventTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The loading side of an {@link AggregateRepository}: states from the cache (brought up to date for reads), from the
 * latest usable snapshot plus the events after it, or from every event; past states by version or time; the cache
 * and the load counters. Thread-safe.
 *
 * @param <S> the state type
 * @param <E> the event type
 */
final class StateLoader<S, E> {

    private final EventStore store;
    private final Decider<?, S, E> decider;
    private final EventTypes<E> types;
    private final int pageSize;
    /** Null when snapshots are off. */
    private final SnapshotKeeper<S> snapshots;
    /** Null when the cache is off. */
    private final Cache<String, Loaded<S>> cache;
    private final AggregateListener listener;
    private final Consumer<Runnable> notify;

    final LongAdder loads = new LongAdder();
    final LongAdder eventsReplayed = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();

    StateLoader(EventStore store, Decider<?, S, E> decider, EventTypes<E> types, int pageSize,
            SnapshotKeeper<S> snapshots, Cache<String, Loaded<S>> cache, AggregateListener listener,
            Consumer<Runnable> notify) {
        this.store = store;
        this.decider = decider;
        this.types = types;
        this.pageSize = pageSize;
        this.snapshots = snapshots;
        this.cache = cache;
        this.listener = listener;
        this.notify = notify;
    }

    /** The state right after {@code version}, from a snapshot at or before it when there is a usable one. */
    Optional<AggregateState<S>> atVersion(String streamId, long version) {
        long started = System.nanoTime();
        SnapshotKeeper.Start<S> start = startingPoint(streamId, version);
        S state = start.state();
        long current = start.version();
        int replayed = 0;
        while (current < version) {
            int count = (int) Math.min(pageSize, version - current);
            List<StreamEvent> page = store.readStreamForFolding(streamId, current + 1, count);
            for (StreamEvent event : page) {
                state = decider.evolve(state, types.fromStream(event));
                current = event.streamVersion();
                replayed++;
            }
            if (page.size() < count) {
                break;
            }
        }
        loaded(streamId, replayed, start.fromSnapshot(), started);
        return current == version ? Optional.of(new AggregateState<>(streamId, state, current)) : Optional.empty();
    }

    /** The state from the events recorded at or before {@code at}, replayed from the first. */
    Optional<AggregateState<S>> asOf(String streamId, Instant at) {
        long started = System.nanoTime();
        S state = decider.initialState();
        long current = -1;
        int replayed = 0;
        reading:
        while (true) {
            List<RecordedEvent> page = store.readStreamForward(streamId, current + 1, pageSize);
            for (RecordedEvent event : page) {
                if (event.recordedAt().isAfter(at)) {
                    break reading;
                }
                state = decider.evolve(state, types.fromRecorded(event));
                current = event.streamVersion();
                replayed++;
            }
            if (page.size() < pageSize) {
                break;
            }
        }
        loaded(streamId, replayed, false, started);
        return current >= 0 ? Optional.of(new AggregateState<>(streamId, state, current)) : Optional.empty();
    }

    /**
     * @param useCache whether a cached state may be used
     * @param catchUp whether a cached state is brought up to date first (reads); commands use it as it is, since
     *     their append proves it current or fails
     */
    Loaded<S> loadLatest(String streamId, boolean useCache, boolean catchUp) {
        if (cache != null && useCache) {
            Loaded<S> cached = cache.getIfPresent(streamId);
            if (cached != null) {
                cacheHits.increment();
                notify(() -> listener.cacheHit(streamId));
                return catchUp ? caughtUp(streamId, cached) : cached.asCached();
            }
            cacheMisses.increment();
            notify(() -> listener.cacheMiss(streamId));
        }
        long started = System.nanoTime();
        SnapshotKeeper.Start<S> start = startingPoint(streamId, Long.MAX_VALUE);
        Folded<S> folded = foldFrom(streamId, start.state(), start.version());
        loaded(streamId, folded.replayed, start.fromSnapshot(), started);
        Loaded<S> loaded = new Loaded<>(folded.state, folded.version, start.fromSnapshot() ? start.version() : -1,
                false);
        remember(streamId, loaded);
        return loaded;
    }

    /** A cached state with the events after it folded in (one read, usually empty): another process may write. */
    private Loaded<S> caughtUp(String streamId, Loaded<S> cached) {
        Folded<S> folded = foldFrom(streamId, cached.state, cached.version);
        if (folded.replayed == 0) {
            return cached.asCached();
        }
        Loaded<S> current = new Loaded<>(folded.state, folded.version, cached.snapshotVersion, false);
        remember(streamId, current);
        return current;
    }

    private Folded<S> foldFrom(String streamId, S initial, long fromVersion) {
        Folding folding = new Folding(initial, fromVersion);
        store.foldStream(streamId, fromVersion + 1, folding::evolve);
        return new Folded<>(folding.state, folding.version, folding.replayed);
    }

    /** The state of one fold while events arrive. */
    private final class Folding {
        S state;
        long version;
        int replayed;

        Folding(S state, long version) {
            this.state = state;
            this.version = version;
        }

        boolean evolve(StreamEvent event) {
            state = decider.evolve(state, types.fromStream(event));
            version = event.streamVersion();
            replayed++;
            return true;
        }
    }

    private void loaded(String streamId, int replayed, boolean fromSnapshot, long startedNanos) {
        loads.increment();
        eventsReplayed.add(replayed);
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        notify(() -> listener.loaded(streamId, replayed, fromSnapshot, took));
    }

    /** The latest usable snapshot at or below {@code maxVersion}, or the initial state. */
    private SnapshotKeeper.Start<S> startingPoint(String streamId, long maxVersion) {
        SnapshotKeeper.Start<S> initial = new SnapshotKeeper.Start<>(decider.initialState(), -1, false);
        return snapshots == null ? initial : snapshots.startingPoint(streamId, maxVersion).orElse(initial);
    }

    void remember(String streamId, Loaded<S> loaded) {
        if (cache != null) {
            // Never replace a newer entry with an older one (two loads racing); an older entry would only cost a retry.
            cache.asMap().merge(streamId, loaded, (old, fresh) -> fresh.version >= old.version ? fresh : old);
        }
    }

    void invalidate(String streamId) {
        if (cache != null) {
            cache.invalidate(streamId);
        }
    }

    /** @return whether the stored version is still {@code loaded}'s; drops the cached state if not */
    boolean isCurrent(String streamId, Loaded<S> loaded) {
        if (store.streamVersion(streamId) == loaded.version) {
            return true;
        }
        invalidate(streamId);
        return false;
    }

    int evictIf(Predicate<? super S> state) {
        if (cache == null) {
            return 0;
        }
        int dropped = 0;
        for (Map.Entry<String, Loaded<S>> entry : cache.asMap().entrySet()) {
            if (state.test(entry.getValue().state) && cache.asMap().remove(entry.getKey(), entry.getValue())) {
                dropped++;
            }
        }
        return dropped;
    }

    /** @return how many states the cache holds (estimate), 0 without a cache */
    long cachedStates() {
        return cache == null ? 0 : cache.estimatedSize();
    }

    private void notify(Runnable hook) {
        notify.accept(hook);
    }

    private record Folded<S>(S state, long version, int replayed) {
    }

    /** A state and where it came from: {@code snapshotVersion} of the latest snapshot it includes, or -1. */
    record Loaded<S>(S state, long version, long snapshotVersion, boolean fromCache) {
        Loaded<S> asCached() {
            return new Loaded<>(state, version, snapshotVersion, true);
        }
    }
}
