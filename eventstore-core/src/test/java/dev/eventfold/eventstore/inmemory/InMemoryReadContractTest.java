package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.ReadContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryReadContractTest extends ReadContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
