package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.AppendListenerContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresAppendListenerContractTest extends AppendListenerContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
