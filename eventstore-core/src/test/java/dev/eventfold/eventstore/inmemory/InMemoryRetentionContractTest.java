package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.RetentionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryRetentionContractTest extends RetentionContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
