package dev.eventfold.eventstore.jdbi;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import java.sql.Connection;
import org.jdbi.v3.core.Handle;

/**
 * A read-model projection written with Jdbi. Each call gets a {@link Handle} over the projection runner's own
 * transaction, so the rows it writes and the runner's checkpoint commit together (exactly once) or not at all. Adapt
 * it for a {@code ProjectionRunner} with {@link JdbiProjections#of}.
 *
 * <p>The handle is valid only during the call. Do not commit, roll back or close its connection: the runner owns the
 * transaction. The same rules as for {@link Projection} apply (idempotent {@code reset}, buffers per transaction
 * attempt in {@code flush}).
 *
 * <pre>{@code
 * ProjectionRunner.builder(store, PostgresProjectionStore.create(dataSource, schema), "orders-per-customer",
 *         JdbiProjections.of((handle, event, context) -> handle
 *             .createUpdate("INSERT INTO per_customer_v" + context.version() + " ...")
 *             .bind("id", event.streamId()).execute()))
 *     .build().start();
 * }</pre>
 */
@FunctionalInterface
public interface JdbiProjection {

    /** @return the events this projection reads; {@link EventFilter#all()} by default */
    default EventFilter filter() {
        return EventFilter.all();
    }

    /**
     * Applies one event.
     *
     * @param handle a handle over the runner's transaction
     * @param event the event
     * @param context the read-model version being built and the runner's fencing token
     * @throws Exception to reject the event (the runner retries, then dead-letters or stops, by policy)
     */
    void apply(Handle handle, RecordedEvent event, ProjectionContext<Connection> context) throws Exception;

    /**
     * Ends a batch, in its transaction: see {@link Projection#flush}.
     *
     * @param handle a handle over the runner's transaction
     * @param context the read-model version being built
     * @throws Exception if the buffered writes fail
     */
    default void flush(Handle handle, ProjectionContext<Connection> context) throws Exception {
    }

    /**
     * Empties (or creates) the read model of {@code context.version()}: see {@link Projection#reset}.
     *
     * @param handle a handle over the runner's transaction
     * @param context the read-model version
     * @throws Exception if it cannot be done
     */
    default void reset(Handle handle, ProjectionContext<Connection> context) throws Exception {
    }
}
