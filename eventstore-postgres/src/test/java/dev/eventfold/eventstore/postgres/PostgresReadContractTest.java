package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.ReadContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresReadContractTest extends ReadContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
