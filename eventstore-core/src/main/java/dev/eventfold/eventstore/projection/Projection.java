package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;

/**
 * Code that turns events into a read model. A {@link ProjectionRunner} feeds it, in log order, in batches, and keeps
 * its checkpoint.
 *
 * <p>{@code T} is the transaction the read model is written in. With a {@link ProjectionStore} whose transactions
 * are the read model's own (the PostgreSQL store gives a {@link java.sql.Connection} in the transaction that also moves
 * the checkpoint), every batch's read-model writes and its checkpoint commit together: each event takes effect exactly
 * once. If the read model lives elsewhere, writes cannot join that transaction: a crash between the write and the
 * checkpoint replays the batch, so {@link #apply} must be idempotent (at-least-once).
 *
 * <p>A projection has a {@link ProjectionContext#version() version}: raise it when its read model changes shape, and
 * the runner builds the new version beside the live one and switches when it has caught up (see
 * {@link ProjectionRunner}). Name read-model tables after the version (e.g. {@code order_summary_v2}).
 *
 * @param <T> the transaction type of the projection store
 */
public interface Projection<T> {

    /** @return the events this projection reads; {@link EventFilter#all()} by default */
    default EventFilter filter() {
        return EventFilter.all();
    }

    /**
     * Applies one event to the read model.
     *
     * @param context the transaction and the version being built
     * @param event the event
     * @throws Exception to reject the event: the runner retries with backoff, then dead-letters it or stops, by policy
     */
    void apply(ProjectionContext<T> context, RecordedEvent event) throws Exception;

    /**
     * Ends a batch: called once after the last {@link #apply} of each transaction, in that transaction, before the
     * checkpoint moves. A projection that buffers its writes during a batch (rows collected per key, then one multi-row
     * upsert or a JDBC batch) writes them here, which turns one round trip per event into one per batch. Nothing to do
     * by default.
     *
     * <p>An exception fails the transaction like a failing {@link #apply}, but it names no event: the runner then
     * re-applies that batch one event per transaction (each followed by {@code flush}), so the failing event is found
     * and retried, dead-lettered or stopped at by the runner's policies, and the events before it commit. Buffers must
     * therefore be per transaction attempt: the runner passes one new {@link ProjectionContext} instance to every call
     * of one attempt, so a buffer remembered with the instance it was filled under (compare with {@code ==}) and
     * cleared when another one arrives never carries rows of a rolled-back attempt into the next.
     *
     * @param context the transaction and the version being built
     * @throws Exception if the buffered writes fail
     */
    default void flush(ProjectionContext<T> context) throws Exception {
    }

    /**
     * Empties the read model of {@code context.version()}, creating it if needed. Called before a rebuild from zero and
     * before a new version is built, in the transaction that resets the checkpoint.
     *
     * @param context the transaction and the version
     * @throws Exception if it cannot be done; the rebuild does not start
     */
    default void reset(ProjectionContext<T> context) throws Exception {
    }
}
