package dev.eventfold.eventstore.tck.meta;

import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;

/** Passes every call to an in-memory store; each broken store overrides one behaviour. */
class ForwardingEventStore extends dev.eventfold.eventstore.ForwardingEventStore implements StreamAdministration {

    final InMemoryEventStore delegate;

    ForwardingEventStore(EventStoreLimits limits) {
        this(InMemoryEventStore.builder().limits(limits).build());
    }

    private ForwardingEventStore(InMemoryEventStore delegate) {
        super(delegate);
        this.delegate = delegate;
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
    public void softDelete(String streamId, ExpectedVersion expected) {
        delegate.softDelete(streamId, expected);
    }

    @Override
    public void restore(String streamId) {
        delegate.restore(streamId);
    }

    @Override
    public boolean isSoftDeleted(String streamId) {
        return delegate.isSoftDeleted(streamId);
    }
}
