package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.tck.IdempotencyContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class InMemoryIdempotencyContractTest extends IdempotencyContract {

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }
}
