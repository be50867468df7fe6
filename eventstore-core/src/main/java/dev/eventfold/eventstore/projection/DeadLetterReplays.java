package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the dead letters an operator asked for ({@link ProjectionRunner#requestReplay}), when the leading runner is
 * idle: each event read again from the log by its position and applied in a transaction of its own, without moving
 * the checkpoint; a letter whose event is gone (removed by retention, say) or that fails again stays, with the reason.
 * Runs on the runner's thread only.
 *
 * @param <T> the projection store's transaction type
 */
final class DeadLetterReplays<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    private final RunnerStatus status;
    private final EventStore store;
    private final ProjectionStore<T> projections;
    private final Projection<T> projection;
    private final InstantSource clock;

    DeadLetterReplays(RunnerStatus status, EventStore store, ProjectionStore<T> projections, Projection<T> projection,
            InstantSource clock) {
        this.status = status;
        this.store = store;
        this.projections = projections;
        this.projection = projection;
        this.clock = clock;
    }

    /** Replays every letter marked for replay. */
    void replayRequested(ProjectionStore.Lease held) {
        List<DeadLetter> letters;
        try {
            letters = projections.deadLetters(status.name, status.version).stream()
                    .filter(d -> d.status() == DeadLetter.Status.REPLAY_REQUESTED).toList();
        } catch (RuntimeException e) {
            status.failure("listing dead letters failed", e);
            return;
        }
        for (DeadLetter letter : letters) {
            replay(held, letter);
        }
    }

    private void replay(ProjectionStore.Lease held, DeadLetter letter) {
        LogPosition before = new LogPosition(letter.position().transactionId(),
                letter.position().globalPosition() - 1);
        try {
            List<RecordedEvent> found = store.readAll(before, EventFilter.all(), 1);
            if (found.isEmpty() || !found.get(0).eventId().equals(letter.eventId())) {
                projections.replayFailed(letter.id(), "the event is no longer readable at " + letter.position(),
                        clock.instant());
                return;
            }
            RecordedEvent event = found.get(0);
            projections.replayed(held, letter.id(), tx -> {
                ProjectionContext<T> context = new ProjectionContext<>(tx, status.name, status.version,
                        held.fencingToken());
                projection.apply(context, event);
                projection.flush(context);
            });
            LOG.info("projection={} version={} dead letter {} replayed", status.name, status.version, letter.id());
        } catch (ProjectionFencedException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("projection={} version={} dead letter {} failed again: {}", status.name, status.version,
                    letter.id(), RunnerStatus.describe(e));
            try {
                projections.replayFailed(letter.id(), RunnerStatus.describe(e), clock.instant());
            } catch (RuntimeException again) {
                status.failure("recording a failed replay failed", again);
            }
        }
    }
}
