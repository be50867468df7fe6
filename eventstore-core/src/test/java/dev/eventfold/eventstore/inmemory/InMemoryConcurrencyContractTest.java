package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.ConcurrencyContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
