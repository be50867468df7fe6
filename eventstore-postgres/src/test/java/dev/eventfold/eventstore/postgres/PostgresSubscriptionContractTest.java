package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.tck.SubscriptionContract;
import dev.eventfold.eventstore.tck.StoreFixture;

class PostgresSubscriptionContractTest extends SubscriptionContract {

    @Override
    protected StoreFixture createFixture() {
        return new PostgresStoreFixture();
    }
}
