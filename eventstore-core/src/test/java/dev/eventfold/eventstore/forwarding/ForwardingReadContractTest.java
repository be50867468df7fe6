package dev.eventfold.eventstore.forwarding;

import dev.eventfold.eventstore.tck.ReadContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class ForwardingReadContractTest extends ReadContract {

    @Override
    protected StoreFixture createFixture() {
        return new ForwardingStoreFixture();
    }
}
