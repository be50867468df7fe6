package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.LogWatch;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.internal.LogSignal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a {@link ProjectionRunner}: competes for the lease, then, while it leads, reads batches after the
 * checkpoint and hands them to its {@link BatchApplier}, idles when caught up (woken by the store's
 * {@code watchLog}), activates a rebuilt version, and steps down when fenced or superseded.
 *
 * @param <T> the transaction type
 */
final class RunnerLoop<T> implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    private final EventStore store;
    private final ProjectionStore<T> projections;
    private final Projection<T> projection;
    private final String name;
    private final int version;
    private final EventFilter filter;
    private final int batchSize;
    private final RetryPolicy retry;
    private final Duration pollInterval;
    private final Duration leaseRetryInterval;
    private final RunnerStatus status;
    private final BatchApplier<T> applier;
    private final DeadLetterReplays<T> replays;
    private final AtomicBoolean rebuildRequested;
    private long lastHousekeeping = System.nanoTime() - Long.MAX_VALUE / 2;

    RunnerLoop(EventStore store, ProjectionStore<T> projections, Projection<T> projection, int batchSize,
            RetryPolicy retry, Duration pollInterval, Duration leaseRetryInterval, RunnerStatus status,
            BatchApplier<T> applier, DeadLetterReplays<T> replays, AtomicBoolean rebuildRequested) {
        this.store = store;
        this.projections = projections;
        this.projection = projection;
        this.name = status.name;
        this.version = status.version;
        this.filter = projection.filter();
        this.batchSize = batchSize;
        this.retry = retry;
        this.pollInterval = pollInterval;
        this.leaseRetryInterval = leaseRetryInterval;
        this.status = status;
        this.applier = applier;
        this.replays = replays;
        this.rebuildRequested = rebuildRequested;
    }

    @Override
    public void run() {
        LogWatch watch = LogWatch.NONE;
        try {
            try {
                watch = store.watchLog(status::appended); // woken by appends instead of polling eagerly
            } catch (RuntimeException e) {
                LOG.warn("projection={} version={} cannot watch the log, polling only: {}", name, version, e.toString());
            }
            while (!status.stopping) {
                Optional<ProjectionStore.Lease> lease;
                try {
                    lease = projections.tryLead(name, version);
                } catch (RuntimeException e) {
                    status.failure("could not compete for leadership", e);
                    status.pause(leaseRetryInterval);
                    continue;
                }
                if (lease.isEmpty()) {
                    status.state = ProjectionState.STANDBY;
                    status.pause(leaseRetryInterval);
                    continue;
                }
                try (ProjectionStore.Lease held = lease.get()) {
                    LOG.info("projection={} version={} leadership gained, fencing token {}", name, version,
                            held.fencingToken());
                    lead(held);
                } catch (ProjectionFencedException e) {
                    LOG.warn("projection={} version={} leadership lost: {}", name, version, e.getMessage());
                    status.state = ProjectionState.STANDBY;
                } catch (RuntimeException e) {
                    status.failure("leading failed; giving up leadership", e);
                    status.pause(leaseRetryInterval);
                } finally {
                    status.leading(null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
            if (status.state != ProjectionState.FAILED) {
                status.state = ProjectionState.STOPPED;
            }
            LOG.info("projection={} version={} runner stopped ({})", name, version, status.state);
        }
    }

    private void lead(ProjectionStore.Lease held) throws InterruptedException {
        OptionalInt active = projections.activeVersion(name);
        if (active.isPresent() && active.getAsInt() > version) {
            superseded(active.getAsInt());
            return;
        }
        LogPosition position = projections.checkpoint(name, version);
        boolean building = active.isEmpty() || active.getAsInt() < version;
        if (position.equals(LogPosition.START)) {
            resetReadModel(held);
        }
        status.leading(position);
        status.enter(building ? ProjectionState.REBUILDING : ProjectionState.RUNNING);
        int idleRounds = 0;
        int readFailures = 0;
        while (!status.stopping) {
            if (!held.isHeld()) {
                throw new ProjectionFencedException(name, version, held.fencingToken());
            }
            if (rebuildRequested.getAndSet(false)) {
                LOG.info("projection={} version={} rebuilding from the first event", name, version);
                resetReadModel(held);
                position = LogPosition.START;
                building = true;
                status.enter(ProjectionState.REBUILDING);
            }
            List<RecordedEvent> batch;
            long signals = status.appendSignals();
            try {
                batch = store.readAll(position, filter, batchSize);
                readFailures = 0;
            } catch (RuntimeException e) {
                readFailures++;
                status.failure("reading the log failed", e);
                status.pause(retry.backoff(Math.min(readFailures, 30)));
                continue;
            }
            if (batch.isEmpty()) {
                if (building) {
                    if (!projections.activate(held)) {
                        superseded(projections.activeVersion(name).orElse(version));
                        return;
                    }
                    building = false;
                    LOG.info("projection={} version={} caught up and active", name, version);
                    status.enter(ProjectionState.RUNNING);
                } else if (housekeepingDue() && supersededAfterHousekeeping(held)) {
                    return;
                }
                status.idle(LogSignal.backoff(idleRounds, pollInterval), signals);
                // Woken by an append: poll eagerly again; else back off further (the subscriptions' rule).
                idleRounds = status.appendSignals() != signals ? 0 : idleRounds + 1;
                continue;
            }
            idleRounds = 0;
            position = applier.apply(held, batch, position);
            status.leading(position);
            if (batch.size() < batchSize) {
                // A short page was all that was readable (both stores fill a page when they can), so this is an idle
                // moment too, the only one under steady traffic: housekeeping if due, then wait for the next append's
                // signal, at most the shortest poll, rather than read an empty page at once.
                if (!building && housekeepingDue() && supersededAfterHousekeeping(held)) {
                    return;
                }
                status.idle(LogSignal.MIN_POLL, signals);
            }
        }
    }

    /**
     * Whether a caught-up leader should look for a newer active version and for requested replays (two queries): when
     * asked to ({@link RunnerStatus#askForHousekeeping()}), else at most once per poll interval, so that a runner
     * woken by every append does not ask after each one.
     */
    private boolean housekeepingDue() {
        long now = System.nanoTime();
        if (status.housekeepingAsked() || now - lastHousekeeping >= pollInterval.toNanos()) {
            lastHousekeeping = now;
            return true;
        }
        return false;
    }

    /**
     * Housekeeping of a caught-up leader: stops if a newer version became active, else applies requested replays.
     *
     * @return whether this version was superseded (the runner stops)
     */
    private boolean supersededAfterHousekeeping(ProjectionStore.Lease held) {
        OptionalInt now = projections.activeVersion(name);
        if (now.isPresent() && now.getAsInt() > version) {
            superseded(now.getAsInt());
            return true;
        }
        replays.replayRequested(held);
        return false;
    }

    private void superseded(int activeVersion) {
        LOG.info("projection={} version={} superseded by active version {}; stopping", name, version, activeVersion);
        status.stopping = true;
        status.state = ProjectionState.STOPPED;
        status.lastError = null;
        status.record();
    }

    private void resetReadModel(ProjectionStore.Lease held) throws InterruptedException {
        status.leading(null); // until the reset has committed, awaitPosition reads the stored checkpoint
        int failures = 0;
        while (!status.stopping) {
            try {
                projections.reset(held, tx -> projection.reset(new ProjectionContext<>(tx, name, version,
                        held.fencingToken())));
                status.leading(LogPosition.START);
                return;
            } catch (ProjectionFencedException e) {
                throw e;
            } catch (Exception e) {
                failures++;
                status.failure("resetting the read model failed", e);
                status.pause(retry.backoff(Math.min(failures, 30)));
            }
        }
    }
}
