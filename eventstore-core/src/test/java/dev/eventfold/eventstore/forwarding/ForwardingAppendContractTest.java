package dev.eventfold.eventstore.forwarding;

import dev.eventfold.eventstore.tck.AppendContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class ForwardingAppendContractTest extends AppendContract {

    @Override
    protected StoreFixture createFixture() {
        return new ForwardingStoreFixture();
    }
}
