package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.List;

/**
 * Hooks for metrics and tracing around a {@link ProjectionRunner}, set on its builder. Every method has an empty
 * default; they run on the runner's thread, must be fast and must not throw (what they throw is logged and ignored).
 *
 * <p>Counts are attempts: when a batch fails and is applied again, its events are reported again.
 * {@code eventstore-micrometer} and {@code eventstore-opentelemetry} implement this; see
 * {@code docs/observability.md}.
 */
public interface ProjectionListener {

    /** A listener that does nothing. */
    ProjectionListener NONE = new ProjectionListener() {
    };

    /**
     * @param listeners listeners, e.g. one for metrics and one for tracing
     * @return a listener that tells each of them, in order; one that throws does not keep the others from hearing
     * @throws dev.eventfold.eventstore.InvalidRequestException if the array or one of them is null
     */
    static ProjectionListener all(ProjectionListener... listeners) {
        return new CompositeProjectionListener(listeners);
    }

    /**
     * The projection applied an event without throwing; its transaction has not committed yet.
     *
     * @param projection the projection's name
     * @param version the projection's version
     * @param event the event
     * @param took how long {@link Projection#apply} took
     */
    default void eventApplied(String projection, int version, RecordedEvent event, Duration took) {
    }

    /**
     * Applying an event (or flushing the batch it ended) failed; the runner retries it or, after the last attempt,
     * dead-letters it or stops, by its {@link FailurePolicy}.
     *
     * @param projection the projection's name
     * @param version the projection's version
     * @param event the event
     * @param attempt the attempt that failed, from 1
     * @param error the exception's class and message
     */
    default void eventFailed(String projection, int version, RecordedEvent event, int attempt, String error) {
    }

    /**
     * A batch was applied and committed with the checkpoint after its last event.
     *
     * @param projection the projection's name
     * @param version the projection's version
     * @param events the batch, in log order
     * @param took from the start of the transaction to its commit
     */
    default void batchCommitted(String projection, int version, List<RecordedEvent> events, Duration took) {
    }

    /**
     * An event became a {@link DeadLetter} after its last attempt; the checkpoint moved past it.
     *
     * @param projection the projection's name
     * @param version the projection's version
     * @param event the event
     * @param error the last attempt's error
     */
    default void deadLettered(String projection, int version, RecordedEvent event, String error) {
    }
}
