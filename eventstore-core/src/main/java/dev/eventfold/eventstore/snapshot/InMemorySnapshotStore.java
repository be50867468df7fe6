package dev.eventfold.eventstore.snapshot;

import dev.eventfold.eventstore.InvalidRequestException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A {@link SnapshotStore} in a map, for tests and single-process use. Thread-safe. */
public final class InMemorySnapshotStore implements SnapshotStore {

    private final ConcurrentMap<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    /** Creates an empty store. */
    public InMemorySnapshotStore() {
    }

    @Override
    public Optional<Snapshot> latest(String streamId) {
        return Optional.ofNullable(snapshots.get(checkStreamId(streamId)));
    }

    @Override
    public boolean save(Snapshot snapshot) {
        if (snapshot == null) {
            throw new InvalidRequestException("snapshot must not be null");
        }
        boolean[] stored = {false};
        snapshots.compute(snapshot.streamId(), (id, old) -> {
            if (old == null || old.streamVersion() < snapshot.streamVersion()) {
                stored[0] = true;
                return snapshot;
            }
            return old;
        });
        return stored[0];
    }

    @Override
    public void delete(String streamId) {
        snapshots.remove(checkStreamId(streamId));
    }

    private static String checkStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            throw new InvalidRequestException("streamId must not be null or empty");
        }
        return streamId;
    }

    @Override
    public String toString() {
        return "InMemorySnapshotStore[" + snapshots.size() + " snapshots]";
    }
}
