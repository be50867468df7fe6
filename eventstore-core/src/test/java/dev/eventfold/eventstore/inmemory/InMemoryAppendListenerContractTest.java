package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.AppendListenerContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryAppendListenerContractTest extends AppendListenerContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
