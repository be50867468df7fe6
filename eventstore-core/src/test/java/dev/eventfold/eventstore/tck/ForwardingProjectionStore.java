package dev.eventfold.eventstore.tck;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A projection store that hands every call to another: tests extend it and override the one call they disturb (a
 * commit held as by a GC pause, a commit whose answer is lost).
 *
 * @param <T> the transaction type
 */
public abstract class ForwardingProjectionStore<T> implements ProjectionStore<T> {

    /** The store every call goes to. */
    protected final ProjectionStore<T> delegate;

    /** @param delegate the store every call goes to */
    protected ForwardingProjectionStore(ProjectionStore<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Lease> tryLead(String projection, int version) {
        return delegate.tryLead(projection, version);
    }

    @Override
    public LogPosition checkpoint(String projection, int version) {
        return delegate.checkpoint(projection, version);
    }

    @Override
    public void commit(Lease lease, LogPosition to, Work<T> work) throws Exception {
        delegate.commit(lease, to, work);
    }

    @Override
    public void reset(Lease lease, Work<T> work) throws Exception {
        delegate.reset(lease, work);
    }

    @Override
    public void deadLetter(Lease lease, RecordedEvent event, String error, int attempts, Instant at) {
        delegate.deadLetter(lease, event, error, attempts, at);
    }

    @Override
    public List<DeadLetter> deadLetters(String projection, int version) {
        return delegate.deadLetters(projection, version);
    }

    @Override
    public int requestReplay(String projection, int version) {
        return delegate.requestReplay(projection, version);
    }

    @Override
    public boolean requestReplay(String projection, int version, long deadLetterId) {
        return delegate.requestReplay(projection, version, deadLetterId);
    }

    @Override
    public boolean skip(String projection, int version, long deadLetterId) {
        return delegate.skip(projection, version, deadLetterId);
    }

    @Override
    public void replayed(Lease lease, long deadLetterId, Work<T> work) throws Exception {
        delegate.replayed(lease, deadLetterId, work);
    }

    @Override
    public void replayFailed(long deadLetterId, String error, Instant at) {
        delegate.replayFailed(deadLetterId, error, at);
    }

    @Override
    public OptionalInt activeVersion(String projection) {
        return delegate.activeVersion(projection);
    }

    @Override
    public boolean activate(Lease lease) {
        return delegate.activate(lease);
    }

    @Override
    public void recordState(String projection, int version, ProjectionState state, String lastError) {
        delegate.recordState(projection, version, state, lastError);
    }

    @Override
    public Optional<StoredStatus> storedStatus(String projection, int version) {
        return delegate.storedStatus(projection, version);
    }
}
