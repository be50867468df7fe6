package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where projection runners keep their checkpoints, leadership, dead letters and active versions, and the transactions
 * read models are written in. {@code InMemoryProjectionStore} (core) and {@code PostgresProjectionStore}
 * ({@code eventstore-postgres}) implement it; applications use it only through {@link ProjectionRunner}.
 *
 * <p><b>Fencing.</b> Every method that writes takes the caller's {@link Lease} and first checks, inside its
 * transaction, that the lease's fencing token is still the current one for the projection version; if another runner
 * has taken over since, it throws {@link ProjectionFencedException} and rolls back everything, the read-model writes
 * included. A runner that was paused (GC, a frozen VM) while another took over can therefore never write again.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <T> the transaction type handed to projections
 */
public interface ProjectionStore<T> {

    /**
     * Work done inside one of the store's transactions.
     *
     * @param <T> the transaction type
     */
    @FunctionalInterface
    interface Work<T> {
        /**
         * @param transaction the transaction
         * @throws Exception to roll it back; the store rethrows it unchanged
         */
        void run(T transaction) throws Exception;
    }

    /**
     * Tries to become the one runner of a projection version. On success the fencing token is raised.
     *
     * @param projection the projection name
     * @param version the version
     * @return the lease, or empty if another runner holds it
     */
    Optional<Lease> tryLead(String projection, int version);

    /**
     * @param projection the projection name
     * @param version the version
     * @return the checkpoint: the log position of the last event applied ({@link LogPosition#START} if none)
     */
    LogPosition checkpoint(String projection, int version);

    /**
     * Runs {@code work} and moves the checkpoint to {@code to} in one transaction.
     *
     * @param lease the caller's lease
     * @param to the new checkpoint
     * @param work the read-model writes
     * @throws ProjectionFencedException if the lease was superseded
     * @throws Exception whatever {@code work} threw, after rolling back
     */
    void commit(Lease lease, LogPosition to, Work<T> work) throws Exception;

    /**
     * Runs {@code work} (the projection's reset) and moves the checkpoint back to the start, in one transaction.
     *
     * @param lease the caller's lease
     * @param work the reset
     * @throws ProjectionFencedException if the lease was superseded
     * @throws Exception whatever {@code work} threw, after rolling back
     */
    void reset(Lease lease, Work<T> work) throws Exception;

    /**
     * Sets an event aside as a dead letter and moves the checkpoint to it, in one transaction.
     *
     * @param lease the caller's lease
     * @param event the event
     * @param error the last error
     * @param attempts how many times it was tried
     * @param at when
     * @throws ProjectionFencedException if the lease was superseded
     */
    void deadLetter(Lease lease, RecordedEvent event, String error, int attempts, Instant at);

    /**
     * @param projection the projection name
     * @param version the version
     * @return its dead letters, oldest first
     */
    List<DeadLetter> deadLetters(String projection, int version);

    /**
     * Marks every pending dead letter of a projection version for replay by its leading runner. Any replica may call it.
     *
     * @param projection the projection name
     * @param version the version
     * @return how many were marked
     */
    int requestReplay(String projection, int version);

    /**
     * Marks one pending dead letter of a projection version for replay by its leading runner. Any replica may call it.
     *
     * @param projection the projection name
     * @param version the version
     * @param deadLetterId the dead letter
     * @return whether it was marked (false if it does not belong to that version or is not pending)
     */
    boolean requestReplay(String projection, int version, long deadLetterId);

    /**
     * Sets one pending dead letter aside for good ({@link DeadLetter.Status#SKIPPED}): the event stays unapplied and
     * the letter stays listed. Any replica may call it.
     *
     * @param projection the projection name
     * @param version the version
     * @param deadLetterId the dead letter
     * @return whether it was skipped (false if it does not belong to that version or is not pending)
     */
    boolean skip(String projection, int version, long deadLetterId);

    /**
     * Runs {@code work} (the replayed event) and marks the dead letter replayed, in one transaction; the checkpoint
     * does not move.
     *
     * @param lease the caller's lease
     * @param deadLetterId the dead letter
     * @param work the replay
     * @throws ProjectionFencedException if the lease was superseded
     * @throws Exception whatever {@code work} threw, after rolling back
     */
    void replayed(Lease lease, long deadLetterId, Work<T> work) throws Exception;

    /**
     * Records a failed replay: the dead letter goes back to pending with the new error.
     *
     * @param deadLetterId the dead letter
     * @param error the error
     * @param at when
     */
    void replayFailed(long deadLetterId, String error, Instant at);

    /**
     * @param projection the projection name
     * @return the version queries should read, empty if none was ever activated
     */
    OptionalInt activeVersion(String projection);

    /**
     * Makes the lease's version the active one, unless a higher version already is.
     *
     * @param lease the caller's lease
     * @return whether the lease's version is now active
     * @throws ProjectionFencedException if the lease was superseded
     */
    boolean activate(Lease lease);

    /**
     * Records what the runner of a projection version is doing, for status queries from any replica.
     *
     * @param projection the projection name
     * @param version the version
     * @param state the state
     * @param lastError the last error, or {@code null}
     */
    void recordState(String projection, int version, ProjectionState state, String lastError);

    /**
     * @param projection the projection name
     * @param version the version
     * @return what was last recorded for it, if anything
     */
    Optional<StoredStatus> storedStatus(String projection, int version);

    /**
     * What a store knows of a projection version. Immutable.
     *
     * @param checkpoint the checkpoint
     * @param state the state last recorded
     * @param lastError the last error recorded, or {@code null}
     * @param fencingToken the current fencing token
     * @param updatedAt when it last changed
     */
    record StoredStatus(LogPosition checkpoint, ProjectionState state, String lastError, long fencingToken,
            Instant updatedAt) {
    }

    /**
     * Leadership of one projection version, until closed or lost.
     */
    interface Lease extends AutoCloseable {

        /** @return the projection name */
        String projection();

        /** @return the version */
        int version();

        /** @return the fencing token, higher than every earlier lease's of this projection version */
        long fencingToken();

        /**
         * @return whether leadership is still held as far as this process can tell (for PostgreSQL: the lock
         *     connection is alive); fencing protects writes even when this is wrong
         */
        boolean isHeld();

        /** Gives leadership up. */
        @Override
        void close();
    }
}
