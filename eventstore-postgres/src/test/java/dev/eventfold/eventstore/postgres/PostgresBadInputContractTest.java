package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.BadInputContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresBadInputContractTest extends BadInputContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
