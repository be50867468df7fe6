package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.RetentionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresRetentionContractTest extends RetentionContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
