package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore.Removal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One stream of an {@link InMemoryEventStore}: its events by version, its deletion flags, and what retention removed
 * (kept in the list, never read again, and copied to the archive). Guarded by the store's lock.
 */
final class InMemoryStream {

    final ArrayList<RecordedEvent> events = new ArrayList<>();
    final ArrayList<RecordedEvent> archive = new ArrayList<>();
    boolean tombstoned;
    boolean softDeleted;
    /** The first version retention kept: events before it are removed. */
    long first;

    void checkVisible(String streamId) {
        if (tombstoned || softDeleted) {
            throw new StreamDeletedException(streamId, !tombstoned);
        }
    }

    long version() {
        return events.size() - 1L;
    }

    /**
     * Removes what the policy names from the start of this stream into the archive.
     *
     * @param oldestKept the oldest recording time {@code maxAge} keeps, or null without that rule
     * @return what was removed, empty if nothing (or the stream is deleted)
     */
    Optional<Removal> remove(String streamId, RetentionPolicy policy, Instant oldestKept) {
        if (tombstoned || softDeleted || events.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong young = OptionalLong.empty();
        for (long v = first; oldestKept != null && v < events.size(); v++) {
            if (!events.get((int) v).recordedAt().isBefore(oldestKept)) {
                young = OptionalLong.of(v);
                break;
            }
        }
        long cut = policy.cut(version(), young);
        if (cut <= first) {
            return Optional.empty();
        }
        archive.addAll(events.subList((int) first, (int) cut));
        Removal removal = new Removal(streamId, first, cut);
        first = cut;
        return Optional.of(removal);
    }
}
