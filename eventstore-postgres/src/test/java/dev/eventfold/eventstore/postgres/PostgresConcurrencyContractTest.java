package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.ConcurrencyContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
