package dev.eventfold.eventstore.forwarding;

import dev.eventfold.eventstore.tck.IdempotencyContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class ForwardingIdempotencyContractTest extends IdempotencyContract {

    @Override
    protected StoreFixture createFixture() {
        return new ForwardingStoreFixture();
    }
}
