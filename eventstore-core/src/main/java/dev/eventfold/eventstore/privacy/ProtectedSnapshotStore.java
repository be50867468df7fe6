package dev.eventfold.eventstore.privacy;

import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.util.Optional;

/** A {@link SnapshotStore} that keeps the personal fields of snapshot states encrypted. */
final class ProtectedSnapshotStore implements SnapshotStore {

    private final SnapshotStore delegate;
    private final PersonalDataProtection protection;

    ProtectedSnapshotStore(SnapshotStore delegate, PersonalDataProtection protection) {
        this.delegate = delegate;
        this.protection = protection;
    }

    @Override
    public Optional<Snapshot> latest(String streamId) {
        return delegate.latest(streamId).map(protection::open);
    }

    @Override
    public boolean save(Snapshot snapshot) {
        return delegate.save(protection.seal(snapshot));
    }

    @Override
    public void delete(String streamId) {
        delegate.delete(streamId);
    }

    @Override
    public String toString() {
        return "Protected" + delegate;
    }
}
