package dev.eventfold.eventstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reader-horizon gauges against a real PostgreSQL: an open transaction holds an appended event back. */
class ReaderHorizonMetricsTest {

    private final String schema = "horizonmetrics_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private HikariDataSource pool;
    private PostgresEventStore store;

    @BeforeEach
    void start() {
        String base = System.getenv().getOrDefault("EVENTFOLD_TEST_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres");
        pool = PostgresPool.builder(base).username(System.getenv().getOrDefault("EVENTFOLD_TEST_DB_USER", "postgres"))
                .password(System.getenv("EVENTFOLD_TEST_DB_PASSWORD")).minIdle(1).maxSize(4).build();
        PostgresEventStoreMigrator.migrate(pool, schema);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        pool.close();
    }

    @Test
    void an_open_transaction_shows_as_held_back_events_until_it_ends() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReaderHorizonMetrics.bind(store, registry, Tag.of("store", "orders"));
        Gauge heldBack = registry.get("eventstore.reader.horizon.events.held.back").tags("store", "orders").gauge();
        Gauge lag = registry.get("eventstore.reader.horizon.lag.seconds").gauge();
        System.gc(); // the gauges must hold what they read
        assertThat(heldBack.value()).isZero();

        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()");
            }
            store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(heldBack.value()).isEqualTo(1);
                assertThat(lag.value()).isGreaterThan(0);
            });
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heldBack.value()).isZero());
    }
}
