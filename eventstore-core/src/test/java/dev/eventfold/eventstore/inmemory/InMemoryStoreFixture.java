package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.tck.Capability;
import dev.eventfold.eventstore.tck.StoreFixture;
import java.util.EnumSet;
import java.util.Set;

/** Runs the contract suites against {@link InMemoryEventStore}: a new store is a new object, nothing to clean up. */
final class InMemoryStoreFixture implements StoreFixture {

    @Override
    public EventStore newStore(EventStoreLimits limits, AppendListener listener) {
        return InMemoryEventStore.builder().limits(limits).appendListener(listener).build();
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STREAM_DELETION, Capability.RETENTION);
    }

    @Override
    public void close() {
    }
}
