package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.SubscriptionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemorySubscriptionContractTest extends SubscriptionContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
