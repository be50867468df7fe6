package dev.eventfold.eventstore.forwarding;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ForwardingEventStore;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.tck.Capability;
import dev.eventfold.eventstore.tck.StoreFixture;
import java.util.EnumSet;
import java.util.Set;

/** A {@link ForwardingEventStore} that overrides nothing must pass the contract suites like the store it wraps. */
final class ForwardingStoreFixture implements StoreFixture {

    @Override
    public EventStore newStore(EventStoreLimits limits, AppendListener listener) {
        return new ForwardingEventStore(InMemoryEventStore.builder().limits(limits).appendListener(listener)
                .build()) {
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }

    @Override
    public void close() {
    }
}
