package dev.eventfold.eventstore.forwarding;

import dev.eventfold.eventstore.tck.SubscriptionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class ForwardingSubscriptionContractTest extends SubscriptionContract {

    @Override
    protected StoreFixture createFixture() {
        return new ForwardingStoreFixture();
    }
}
