package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.DeletionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresDeletionContractTest extends DeletionContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
