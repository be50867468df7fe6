package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.BadInputContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryBadInputContractTest extends BadInputContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
