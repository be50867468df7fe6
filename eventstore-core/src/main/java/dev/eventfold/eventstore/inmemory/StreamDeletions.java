package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.internal.RequestChecks;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore.Removal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@link InMemoryEventStore} does to whole streams: tombstones, soft deletes and their restore, and the removal
 * of old events into each stream's archive. Works on the store's streams under the store's lock.
 */
final class StreamDeletions {

    private final EventStoreLimits limits;
    private final ReentrantLock lock;
    private final Map<String, InMemoryStream> streams;
    private final Runnable ensureOpen;
    /** Whether retention removed anything yet: until then, log reads skip the per-event removal check. */
    private boolean removedAny;

    StreamDeletions(EventStoreLimits limits, ReentrantLock lock, Map<String, InMemoryStream> streams,
            Runnable ensureOpen) {
        this.limits = limits;
        this.lock = lock;
        this.streams = streams;
        this.ensureOpen = ensureOpen;
    }

    /** Under the store's lock: whether any event was removed yet. */
    boolean removedAny() {
        return removedAny;
    }

    private void checkRequest(String streamId, ExpectedVersion expected) {
        RequestChecks.checkStreamId(limits, streamId);
        if (expected == null) {
            throw new InvalidRequestException("expected version must not be null (use ExpectedVersion.any())");
        }
    }

    /** See {@link dev.eventfold.eventstore.StreamAdministration#tombstone}. */
    void tombstone(String streamId, ExpectedVersion expected) {
        checkRequest(streamId, expected);
        lock.lock();
        try {
            ensureOpen.run();
            InMemoryStream stream = streams.get(streamId);
            if (stream != null && stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            long current = stream == null ? ExpectedVersion.NO_STREAM : stream.version();
            if (!expected.isSatisfiedBy(current)) {
                throw new WrongExpectedVersionException(streamId, expected, current);
            }
            if (stream == null) {
                stream = new InMemoryStream();
                streams.put(streamId, stream);
            }
            stream.tombstoned = true;
            stream.softDeleted = false;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link dev.eventfold.eventstore.StreamAdministration#softDelete}. */
    void softDelete(String streamId, ExpectedVersion expected) {
        checkRequest(streamId, expected);
        lock.lock();
        try {
            ensureOpen.run();
            InMemoryStream stream = streams.get(streamId);
            if (stream != null) {
                stream.checkVisible(streamId);
            }
            long current = stream == null ? ExpectedVersion.NO_STREAM : stream.version();
            if (current == ExpectedVersion.NO_STREAM || !expected.isSatisfiedBy(current)) {
                throw new WrongExpectedVersionException(streamId, expected, current);
            }
            stream.softDeleted = true;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link dev.eventfold.eventstore.StreamAdministration#restore}. */
    void restore(String streamId) {
        RequestChecks.checkStreamId(limits, streamId);
        lock.lock();
        try {
            ensureOpen.run();
            InMemoryStream stream = streams.get(streamId);
            if (stream != null && stream.tombstoned) {
                throw new StreamDeletedException(streamId);
            }
            if (stream == null || !stream.softDeleted) {
                throw new InvalidRequestException("stream '" + streamId + "' is not soft-deleted; nothing to restore");
            }
            stream.softDeleted = false;
        } finally {
            lock.unlock();
        }
    }

    /** See {@link dev.eventfold.eventstore.retention.RetentionStore#removeEvents}. */
    List<Removal> removeEvents(RetentionPolicy policy, Instant now, String actor, String reason) {
        if (policy == null || now == null || actor == null || reason == null) {
            throw new InvalidRequestException("policy, now, actor and reason must not be null");
        }
        Instant oldestKept = policy.oldestKept(now);
        List<Removal> removed = new ArrayList<>();
        lock.lock();
        try {
            ensureOpen.run();
            for (Map.Entry<String, InMemoryStream> entry : new TreeMap<>(streams).entrySet()) {
                String streamId = entry.getKey();
                InMemoryStream stream = entry.getValue();
                boolean named = policy.streamId() != null ? streamId.equals(policy.streamId())
                        : Category.of(streamId).equals(policy.category());
                if (named) {
                    stream.remove(streamId, policy, oldestKept).ifPresent(removed::add);
                }
            }
            removedAny |= !removed.isEmpty();
            return List.copyOf(removed);
        } finally {
            lock.unlock();
        }
    }
}
