package dev.eventfold.eventstore.tck.meta;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import java.util.List;

/** Passes every call to an in-memory store; each broken store overrides one behaviour. */
class ForwardingEventStore implements EventStore, StreamAdministration {

    final InMemoryEventStore delegate;

    ForwardingEventStore(EventStoreLimits limits) {
        this.delegate = InMemoryEventStore.builder().limits(limits).build();
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
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
        return delegate.readAll(after, filter, maxCount);
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        return delegate.subscribe(after, filter, handler);
    }

    @Override
    public EventStoreLimits limits() {
        return delegate.limits();
    }

    @Override
    public void tombstone(String streamId, ExpectedVersion expected) {
        delegate.tombstone(streamId, expected);
    }

    @Override
    public boolean isDeleted(String streamId) {
        return delegate.isDeleted(streamId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
