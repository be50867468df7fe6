package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import dev.eventfold.eventstore.tck.SnapshotContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemorySnapshotContractTest extends SnapshotContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore target) {
        return new InMemorySnapshotStore();
    }
}
