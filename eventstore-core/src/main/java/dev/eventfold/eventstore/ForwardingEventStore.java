package dev.eventfold.eventstore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An {@link EventStore} that passes every call to another one. Decorators (tracing, personal-data protection, your own)
 * extend it and override only what they change; the store-specific fast paths ({@link #readStreamForFolding},
 * {@link #streamVersion}) are passed on too, not rebuilt from the generic reads.
 *
 * <p>Thread-safe if the delegate is.
 */
public abstract class ForwardingEventStore implements EventStore {

    private final EventStore delegate;

    /**
     * @param delegate the store every call goes to
     * @throws InvalidRequestException if null
     */
    protected ForwardingEventStore(EventStore delegate) {
        if (delegate == null) {
            throw new InvalidRequestException("delegate must not be null");
        }
        this.delegate = delegate;
    }

    /** @return the store every call goes to */
    protected final EventStore delegate() {
        return delegate;
    }

    /**
     * For decorators that change what they append (and so turn an exact retry into an apparent duplicate): the stored
     * events around the one a {@link DuplicateEventException} names, enough to hold every event of a batch of
     * {@code batchSize} that contains it.
     *
     * @param duplicate the exception the delegate threw
     * @param batchSize the size of the batch that was appended
     * @return the stored events found, by event id
     */
    protected final Map<UUID, RecordedEvent> storedAround(DuplicateEventException duplicate, int batchSize) {
        Map<UUID, RecordedEvent> stored = new HashMap<>();
        long from = Math.max(0, duplicate.storedVersion() - (batchSize - 1));
        for (RecordedEvent event : delegate.readStreamForward(duplicate.storedStreamId(), from, 2 * batchSize)) {
            stored.put(event.eventId(), event);
        }
        return stored;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return delegate.append(streamId, expected, events);
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion,
            int maxCount) {
        return delegate.readStream(streamId, direction, fromVersion, maxCount);
    }

    @Override
    public List<StreamEvent> readStreamForFolding(String streamId, long fromVersion, int maxCount) {
        return delegate.readStreamForFolding(streamId, fromVersion, maxCount);
    }

    @Override
    public long streamVersion(String streamId) {
        return delegate.streamVersion(streamId);
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
        return delegate.readAll(after, filter, maxCount);
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        return delegate.subscribe(after, filter, handler);
    }

    @Override
    public LogWatch watchLog(Runnable wake) {
        return delegate.watchLog(wake);
    }

    @Override
    public EventStoreLimits limits() {
        return delegate.limits();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
