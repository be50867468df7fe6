package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.DeletionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryDeletionContractTest extends DeletionContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
