package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import java.sql.Connection;

/**
 * A read-model projection that queues its writes instead of sending them one by one: each batch's statements reach
 * PostgreSQL together when the batch ends. Adapt it for a {@code ProjectionRunner} with
 * {@link PipelinedWrites#projection}, which says what changes against a plain {@link Projection} (in short: reads in
 * {@code apply} do not see the batch's queued writes).
 */
@FunctionalInterface
public interface PipelinedProjection {

    /** @return the events this projection reads; {@link EventFilter#all()} by default */
    default EventFilter filter() {
        return EventFilter.all();
    }

    /**
     * Applies one event by queueing its writes.
     *
     * @param writes the queue of the batch in progress; valid only during the call
     * @param event the event
     * @param context the runner's transaction, the read-model version being built and the fencing token
     * @throws Exception to reject the event (the runner retries, then dead-letters or stops, by policy)
     */
    void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) throws Exception;

    /**
     * Empties (or creates) the read model of {@code context.version()}, writing directly through
     * {@code context.transaction()}: see {@link Projection#reset}.
     *
     * @param context the transaction and the read-model version
     * @throws Exception if it cannot be done
     */
    default void reset(ProjectionContext<Connection> context) throws Exception {
    }
}
