package dev.eventfold.eventstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.tck.Capability;
import dev.eventfold.eventstore.tck.StoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/** Runs the contract suites against {@link PostgresEventStore}: one pool per test class, one new schema per store. */
final class PostgresStoreFixture implements StoreFixture {

    private final HikariDataSource pool = TestDatabase.pool(24);
    private final List<String> schemas = new ArrayList<>();

    @Override
    public EventStore newStore(EventStoreLimits limits, AppendListener listener) {
        String schema = TestDatabase.newSchema(pool);
        schemas.add(schema);
        return PostgresEventStore.builder(pool).schema(schema).limits(limits).appendListener(listener)
                .pageSize(Math.min(500,
                limits.maxEventsPerRead())).maxPollInterval(Duration.ofMillis(250)).build();
    }

    /** @return the pool every store of this fixture uses */
    DataSource dataSource() {
        return pool;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.STREAM_DELETION, Capability.RETENTION);
    }

    @Override
    public void close() {
        for (String schema : schemas) {
            TestDatabase.dropSchema(pool, schema);
        }
        pool.close();
    }
}
