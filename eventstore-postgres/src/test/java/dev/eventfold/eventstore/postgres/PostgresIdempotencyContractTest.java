package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.IdempotencyContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresIdempotencyContractTest extends IdempotencyContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
