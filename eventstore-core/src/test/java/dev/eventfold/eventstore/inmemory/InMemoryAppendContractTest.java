package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.AppendContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryAppendContractTest extends AppendContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
