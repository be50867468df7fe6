package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import dev.eventfold.eventstore.tck.AggregateContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresAggregateContractTest extends AggregateContract {

    private PostgresStoreFixture postgres;

    @Override
    protected StoreFixture createFixture() {
        postgres = new PostgresStoreFixture();
        return postgres;
    }

    @Override
    protected SnapshotStore snapshotStoreFor(EventStore target) {
        return PostgresSnapshotStore.create(postgres.dataSource(), ((PostgresEventStore) target).options().schema());
    }
}
