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
import dev.eventfold.eventstore.projection.FailurePolicy;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.RetryPolicy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Jdbi projection under a real runner on PostgreSQL: rows and checkpoint commit together, or neither does. */
class JdbiProjectionsTest {

    private static final String URL = env("EVENTFOLD_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private HikariDataSource pool;
    private PostgresEventStore store;
    private Jdbi reads;
    private String schema;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @BeforeEach
    void start() {
        schema = "jdbi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        pool = PostgresPool.builder(URL).username(env("EVENTFOLD_TEST_DB_USER", "postgres"))
                .password(System.getenv("EVENTFOLD_TEST_DB_PASSWORD")).minIdle(1).maxSize(6).build();
        PostgresEventStoreMigrator.migrate(pool, schema);
        store = PostgresEventStore.builder(pool).schema(schema).build();
        reads = Jdbi.create(pool);
    }

    @AfterEach
    void stop() {
        store.close();
        reads.useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
        pool.close();
    }

    /** Counts events per stream; an event of type Poison writes its row and then fails. */
    private final class Counts implements JdbiProjection {
        final AtomicReference<Handle> leaked = new AtomicReference<>();

        @Override
        public EventFilter filter() {
            return EventFilter.category("cart");
        }

        @Override
        public void reset(Handle handle, ProjectionContext<Connection> context) {
            handle.execute("CREATE TABLE IF NOT EXISTS " + schema + ".counts_v" + context.version()
                    + " (stream text PRIMARY KEY, n bigint NOT NULL)");
            handle.execute("TRUNCATE " + schema + ".counts_v" + context.version());
        }

        @Override
        public void apply(Handle handle, RecordedEvent event, ProjectionContext<Connection> context) {
            leaked.set(handle);
            handle.createUpdate("INSERT INTO " + schema + ".counts_v" + context.version() + " AS c VALUES (:stream, 1) "
                    + "ON CONFLICT (stream) DO UPDATE SET n = c.n + 1").bind("stream", event.streamId()).execute();
            if (event.type().equals("Poison")) {
                throw new IllegalStateException("poisoned");
            }
        }
    }

    private Map<String, Long> counts() {
        return reads.withHandle(h -> h.createQuery("SELECT stream, n FROM " + schema + ".counts_v1")
                .setMapKeyColumn("stream").setMapValueColumn("n").collectInto(
                        new org.jdbi.v3.core.generic.GenericType<Map<String, Long>>() {
                        }));
    }

    @Test
    void rows_commit_with_the_checkpoint_and_a_failed_event_leaves_no_row_behind() throws Exception {
        AppendResult last = null;
        for (int i = 0; i < 20; i++) {
            last = store.append("cart-" + i, ExpectedVersion.noStream(), List.of(EventData.of("Added", "{}"),
                    EventData.of("Added", "{}")));
        }
        store.append("cart-poisoned", ExpectedVersion.noStream(), EventData.of("Poison", "{}"));
        AppendResult after = store.append("cart-after", ExpectedVersion.noStream(), EventData.of("Added", "{}"));
        Counts projection = new Counts();
        try (ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                PostgresProjectionStore.create(pool, schema), "counts", JdbiProjections.of(projection))
                .batchSize(7).retry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)))
                .onFailure(FailurePolicy.CONTINUE).build()) {
            runner.start();
            assertThat(runner.awaitPosition(after.lastLogPosition(), Duration.ofSeconds(20))).isTrue();
            assertThat(runner.status().pendingDeadLetters()).isEqualTo(1);
        }
        Map<String, Long> counts = counts();
        assertThat(counts).hasSize(21).containsEntry("cart-0", 2L).containsEntry("cart-19", 2L)
                .containsEntry("cart-after", 1L).doesNotContainKey("cart-poisoned");
        assertThat(last).isNotNull();
        Handle leaked = projection.leaked.get();
        assertThat(leaked).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> leaked.createQuery("SELECT 1")
                .mapTo(Integer.class).one()).as("a handle kept past its call is unusable (its pooled connection was "
                        + "given back)").isInstanceOf(org.jdbi.v3.core.JdbiException.class).hasMessageContaining("closed");
    }

    @Test
    void the_handle_never_commits_or_closes_the_runners_connection() throws Exception {
        JdbiProjection committer = (handle, event, context) -> {
            handle.execute("CREATE TABLE IF NOT EXISTS " + schema + ".sneaky (id text)");
            handle.execute("INSERT INTO " + schema + ".sneaky VALUES ('" + event.streamId() + "')");
            throw new IllegalStateException("reject after writing");
        };
        store.append("cart-1", ExpectedVersion.noStream(), EventData.of("Added", "{}"));
        AppendResult last = store.append("cart-2", ExpectedVersion.noStream(), EventData.of("Added", "{}"));
        try (ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                PostgresProjectionStore.create(pool, schema), "committer", JdbiProjections.of(committer))
                .retry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)))
                .onFailure(FailurePolicy.CONTINUE).build()) {
            runner.start();
            assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(20))).isTrue();
        }
        boolean exists = reads.withHandle(h -> h.createQuery("SELECT to_regclass(:t) IS NOT NULL")
                .bind("t", schema + ".sneaky").mapTo(Boolean.class).one());
        assertThat(exists).as("the rejected events' writes (even DDL) were rolled back with the transaction")
                .isFalse();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("no connection left borrowed").isZero();
    }
}
