package dev.eventfold.eventstore.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The Jdbi code of docs/projections.md, compiled and run; core's DocSamplesTest checks the page shows it. */
class JdbiDocSampleTest {

    // tag::jdbi-projection[]
    /** Order events per type, written with Jdbi in the runner's transaction: exactly once. */
    static final class OrdersPerTypeWithJdbi implements JdbiProjection {
        @Override
        public EventFilter filter() {
            return EventFilter.category("order");
        }

        @Override
        public void reset(Handle handle, ProjectionContext<Connection> context) {
            handle.execute("CREATE TABLE IF NOT EXISTS orders_per_type_v" + context.version()
                    + " (type text PRIMARY KEY, n bigint)");
            handle.execute("TRUNCATE orders_per_type_v" + context.version());
        }

        @Override
        public void apply(Handle handle, RecordedEvent event, ProjectionContext<Connection> context) {
            handle.createUpdate("INSERT INTO orders_per_type_v" + context.version()
                    + " AS t VALUES (:type, 1) ON CONFLICT (type) DO UPDATE SET n = t.n + 1")
                    .bind("type", event.type())
                    .execute();
        }
    }
    // end::jdbi-projection[]

    @Test
    void the_jdbi_sample_runs() throws Exception {
        String schema = "jdbidoc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = System.getenv().getOrDefault("EVENTFOLD_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        String user = System.getenv().getOrDefault("EVENTFOLD_TEST_DB_USER", "postgres");
        try (HikariDataSource pool = PostgresPool.builder(url).username(user)
                .password(System.getenv("EVENTFOLD_TEST_DB_PASSWORD")).minIdle(1).maxSize(4).build()) {
            PostgresEventStoreMigrator.migrate(pool, schema);
            try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
                AppendResult last = store.append("order-1", ExpectedVersion.noStream(), List.of(
                        EventData.of("OrderPlaced", "{}"), EventData.of("ItemAdded", "{}")));
                // tag::jdbi-runner[]
                ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                        PostgresProjectionStore.create(pool, schema), "orders-per-type",
                        JdbiProjections.of(new OrdersPerTypeWithJdbi())).build();
                runner.start();
                // end::jdbi-runner[]
                try {
                    assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(10))).isTrue();
                } finally {
                    runner.close();
                }
                long placed = Jdbi.create(pool).withHandle(h -> h.createQuery("SELECT n FROM orders_per_type_v1 "
                        + "WHERE type = 'OrderPlaced'").mapTo(Long.class).one());
                assertThat(placed).isEqualTo(1);
            } finally {
                Jdbi.create(pool).useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
            }
        }
    }
}
