package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.AppendContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresAppendContractTest extends AppendContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
