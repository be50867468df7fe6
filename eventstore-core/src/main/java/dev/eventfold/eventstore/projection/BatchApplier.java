package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one batch for a leading {@link ProjectionRunner}: the events and the checkpoint in one transaction; an event
 * the projection rejects retried with backoff, then the events before it committed and the event dead-lettered (or
 * the runner stopped, by {@link FailurePolicy}); a failed flush, which names no event, re-applied one event per
 * transaction to find the culprit; store failures retried without limit. Runs on the runner's thread only.
 *
 * @param <T> the projection store's transaction type
 */
final class BatchApplier<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    private final RunnerStatus status;
    private final ProjectionStore<T> projections;
    private final Projection<T> projection;
    private final RetryPolicy retry;
    private final FailurePolicy failurePolicy;
    private final InstantSource clock;
    private final ProjectionListener listener;
    /** Whether a listener was set: without one, the per-event clock reads are skipped. */
    private final boolean listened;

    BatchApplier(RunnerStatus status, ProjectionStore<T> projections, Projection<T> projection, RetryPolicy retry,
            FailurePolicy failurePolicy, InstantSource clock, ProjectionListener listener) {
        this.status = status;
        this.projections = projections;
        this.projection = projection;
        this.retry = retry;
        this.failurePolicy = failurePolicy;
        this.clock = clock;
        this.listener = listener;
        this.listened = listener != ProjectionListener.NONE;
    }

    /** Applies a batch; returns the new checkpoint. */
    LogPosition apply(ProjectionStore.Lease held, List<RecordedEvent> batch, LogPosition checkpoint)
            throws InterruptedException {
        String name = status.name;
        int version = status.version;
        LogPosition position = checkpoint;
        int start = 0;
        int failing = -1;
        int attempts = 0;
        int infraFailures = 0;
        String error = null;
        int oneByOneUntil = -1; // after a failed flush: one event per transaction up to here, to find the culprit
        boolean uncertain = false; // a commit failed without an answer: it may have landed all the same
        while (start < batch.size() && !status.stopping) {
            if (uncertain) {
                // A commit whose answer was lost (the connection broke, the primary failed over) may have landed;
                // applying its events again would apply them twice. The stored checkpoint says which.
                LogPosition stored;
                try {
                    stored = projections.checkpoint(name, version);
                } catch (RuntimeException e) {
                    infraFailures++;
                    status.failure("reading the checkpoint after a failed commit failed", e);
                    status.pause(retry.backoff(Math.min(infraFailures, 30)));
                    continue;
                }
                uncertain = false;
                if (stored.isAfter(position)) {
                    LogPosition from = position;
                    status.processed.add(batch.stream().filter(event -> event.logPosition().isAfter(from)
                            && !event.logPosition().isAfter(stored)).count());
                    LOG.info("projection={} version={} the commit that failed had landed (checkpoint {}); going on "
                            + "from there", name, version, stored);
                    return stored;
                }
                if (position.isAfter(stored)) {
                    // Behind where this runner's own commits left it: a failover to an asynchronous replica lost
                    // commits the old primary had acknowledged, read-model writes included. Their events (those
                    // that survived, and new ones that may now hold the same positions) are read and applied again.
                    LOG.warn("projection={} version={} the checkpoint is at {}, behind {} where this runner's commits "
                            + "left it (acknowledged commits were lost, as in a failover to an asynchronous replica); "
                            + "reading the log again from there", name, version, stored, position);
                    return stored;
                }
            }
            int end = start < oneByOneUntil ? start + 1 : batch.size();
            if (failing >= start && attempts >= retry.maxAttempts()) {
                if (failing > start) {
                    end = failing; // commit what comes before the failing event first
                } else {
                    RecordedEvent bad = batch.get(failing);
                    if (failurePolicy == FailurePolicy.STOP) {
                        LOG.error("projection={} version={} stopped at event {} ({} of {}@{}) after {} attempts: {}",
                                name, version, bad.eventId(), bad.type(), bad.streamId(), bad.streamVersion(),
                                attempts, error);
                        status.fail(error);
                        return position;
                    }
                    try {
                        projections.deadLetter(held, bad, error, attempts, clock.instant());
                    } catch (ProjectionFencedException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        infraFailures++;
                        status.failure("storing a dead letter failed", e);
                        status.pause(retry.backoff(Math.min(infraFailures, 30)));
                        continue;
                    }
                    LOG.warn("projection={} version={} event {} ({} of {}@{}) dead-lettered after {} attempts: {}",
                            name, version, bad.eventId(), bad.type(), bad.streamId(), bad.streamVersion(), attempts,
                            error);
                    String lastAttempt = error;
                    status.notify(() -> listener.deadLettered(name, version, bad, lastAttempt));
                    position = bad.logPosition();
                    start = failing + 1;
                    failing = -1;
                    attempts = 0;
                    continue;
                }
            }
            List<RecordedEvent> slice = batch.subList(start, end);
            int[] at = {0};
            boolean[] counted = {false};
            long started = System.nanoTime();
            try {
                // Counted inside the transaction, before its commit makes the checkpoint visible, so a caller that
                // saw the checkpoint also sees the count; taken back below if the commit fails.
                projections.commit(held, slice.get(slice.size() - 1).logPosition(), tx -> {
                    applyAll(tx, held, slice, at);
                    status.processed.add(slice.size());
                    counted[0] = true;
                });
                status.committed(slice.get(slice.size() - 1).logPosition());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                status.notify(() -> listener.batchCommitted(name, version, slice, took));
                position = slice.get(slice.size() - 1).logPosition();
                start = end;
                infraFailures = 0;
            } catch (ProjectionFencedException e) {
                uncount(counted, slice.size());
                throw e;
            } catch (HandlerFailure f) {
                if (at[0] < 0 && slice.size() > 1) {
                    // The flush names no event: re-apply this slice one event per transaction to find it.
                    LOG.warn("projection={} version={} flushing a batch of {} events failed, re-applying it one event "
                            + "per transaction: {}", name, version, slice.size(), RunnerStatus.describe(f.getCause()));
                    oneByOneUntil = end;
                    continue;
                }
                int index = start + Math.max(0, at[0]);
                if (index != failing) {
                    failing = index;
                    attempts = 0;
                }
                attempts++;
                RecordedEvent bad = batch.get(index);
                error = RunnerStatus.describe(f.getCause());
                status.lastError = error;
                LOG.warn("projection={} version={} event {} ({} of {}@{}) failed, attempt {} of {}: {}", name, version,
                        bad.eventId(), bad.type(), bad.streamId(), bad.streamVersion(), attempts,
                        retry.maxAttempts(), error);
                int attempt = attempts;
                String failed = error;
                status.notify(() -> listener.eventFailed(name, version, bad, attempt, failed));
                if (attempts < retry.maxAttempts()) {
                    status.pause(retry.backoff(attempts));
                }
            } catch (Exception e) {
                uncount(counted, slice.size());
                infraFailures++;
                uncertain = true;
                status.failure("committing a batch failed", e);
                status.pause(retry.backoff(Math.min(infraFailures, 30)));
            }
        }
        return position;
    }

    private void uncount(boolean[] counted, int events) {
        if (counted[0]) {
            status.processed.add(-events);
        }
    }

    /** Inside the transaction: every event of the slice, then the flush; {@code at[0]} says where it failed. */
    private void applyAll(T tx, ProjectionStore.Lease held, List<RecordedEvent> slice, int[] at) {
        ProjectionContext<T> context = new ProjectionContext<>(tx, status.name, status.version,
                held.fencingToken());
        for (int i = 0; i < slice.size(); i++) {
            at[0] = i;
            RecordedEvent event = slice.get(i);
            long applying = listened ? System.nanoTime() : 0;
            try {
                projection.apply(context, event);
            } catch (Exception e) {
                throw new HandlerFailure(e);
            }
            if (listened) {
                Duration took = Duration.ofNanos(System.nanoTime() - applying);
                status.notify(() -> listener.eventApplied(status.name, status.version, event, took));
            }
        }
        try {
            projection.flush(context);
        } catch (Exception e) {
            at[0] = -1;
            throw new HandlerFailure(e);
        }
    }

    /** Marks a failure thrown by the projection, as opposed to one of the stores. */
    private static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Throwable cause) {
            super(cause);
        }
    }
}
