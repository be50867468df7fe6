package dev.eventfold.eventstore.aggregate;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of one {@link AggregateRepository}: where a load starts (the latest usable snapshot, or nothing), and
 * the background writer that saves a state after an append when the policy says so. Failures and a full queue are
 * counted and logged, never thrown. Thread-safe.
 *
 * @param <S> the state type
 */
final class SnapshotKeeper<S> {

    private static final Logger LOG = LoggerFactory.getLogger(AggregateRepository.class);

    private final SnapshotStore snapshots;
    private final StateCodec<S> codec;
    private final SnapshotPolicy policy;
    private final InstantSource clock;
    private final AggregateListener listener;
    private final Consumer<Runnable> notifier;
    private final String category;
    private final ThreadPoolExecutor writer;

    final LongAdder written = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder failed = new LongAdder();

    /**
     * @param notifier runs a listener call, logging its failure
     */
    SnapshotKeeper(SnapshotStore snapshots, StateCodec<S> codec, SnapshotPolicy policy, int queueSize,
            String category, InstantSource clock, AggregateListener listener, Consumer<Runnable> notifier) {
        this.snapshots = snapshots;
        this.codec = codec;
        this.policy = policy;
        this.clock = clock;
        this.listener = listener;
        this.notifier = notifier;
        this.category = category;
        this.writer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queueSize),
                runnable -> {
                    Thread thread = new Thread(runnable, "eventfold-snapshots-" + (category == null ? "all"
                            : category));
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        writer.allowCoreThreadTimeOut(true);
    }

    /** Where a load starts: a state and the version it covers. */
    record Start<S>(S state, long version, boolean fromSnapshot) {
    }

    /**
     * @return the latest usable snapshot at or below {@code maxVersion}, or empty to start from the first event
     * @throws EventStoreUnavailableException if the snapshot store cannot be reached: it is in practice the events'
     *     database, and replaying every event instead would double both the caller's wait and the load on a database
     *     in trouble
     */
    Optional<Start<S>> startingPoint(String streamId, long maxVersion) {
        Optional<Snapshot> found;
        try {
            found = snapshots.latest(streamId);
        } catch (EventStoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("aggregate-repository stream={} snapshot lookup failed, replaying all events: {}", streamId,
                    e.toString());
            return Optional.empty();
        }
        if (found.isEmpty() || found.get().streamVersion() > maxVersion) {
            return Optional.empty();
        }
        Snapshot snapshot = found.get();
        if (snapshot.schemaVersion() != codec.schemaVersion()) {
            ignore(streamId, snapshot, "schema version " + snapshot.schemaVersion() + ", the codec reads "
                    + codec.schemaVersion());
            return Optional.empty();
        }
        try {
            return Optional.of(new Start<>(codec.deserialize(snapshot.state()), snapshot.streamVersion(), true));
        } catch (RuntimeException e) {
            ignore(streamId, snapshot, "unreadable: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void ignore(String streamId, Snapshot snapshot, String reason) {
        ignored.increment();
        LOG.debug("aggregate-repository stream={} snapshot at version {} ignored: {}", streamId,
                snapshot.streamVersion(), reason);
        notifier.accept(() -> listener.snapshotIgnored(streamId, snapshot.schemaVersion(), reason));
    }

    /**
     * After an append: queues a snapshot of the new state if the policy says one is due.
     *
     * @return whether one was due (the new state counts as snapshotted from then on, even if writing fails)
     */
    boolean afterAppend(String streamId, S state, long snapshotVersion, long version) {
        if (!policy.isDue(snapshotVersion, version)) {
            return false;
        }
        try {
            writer.execute(() -> write(streamId, state, version));
        } catch (RejectedExecutionException e) {
            fail(streamId, version, e);
        }
        return true;
    }

    private void write(String streamId, S state, long version) {
        try {
            Snapshot snapshot = new Snapshot(streamId, version, codec.schemaVersion(), codec.serialize(state),
                    clock.instant());
            if (snapshots.save(snapshot)) {
                written.increment();
                notifier.accept(() -> listener.snapshotWritten(streamId, version));
            }
        } catch (RuntimeException e) {
            fail(streamId, version, e);
        }
    }

    private void fail(String streamId, long version, Exception e) {
        failed.increment();
        LOG.warn("aggregate-repository stream={} version={} snapshot not taken: {}", streamId, version, e.toString());
        notifier.accept(() -> listener.snapshotFailed(streamId, version, e));
    }

    /** Stops the writer after it has written what is queued, waiting up to 5 seconds. */
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("aggregate-repository category={} snapshot writer did not finish in 5 s; dropping {} queued "
                        + "snapshots", category, writer.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return policy.toString();
    }
}
