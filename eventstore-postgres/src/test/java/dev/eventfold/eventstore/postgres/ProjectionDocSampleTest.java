package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PostgreSQL code of docs/projections.md, compiled and run; core's DocSamplesTest checks the page shows it. */
class ProjectionDocSampleTest {

    // tag::postgres-projection[]
    /** Order events per type, in a table of the same database: written in the runner's transaction, exactly once. */
    static final class OrdersPerType implements Projection<Connection> {
        @Override
        public EventFilter filter() {
            return EventFilter.category("order");
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            String table = "orders_per_type_v" + context.version();   // one table per read-model version
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (type text PRIMARY KEY, n bigint)");
                statement.execute("TRUNCATE " + table);
            }
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws SQLException {
            try (PreparedStatement statement = context.transaction().prepareStatement("INSERT INTO orders_per_type_v"
                    + context.version() + " AS t VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = t.n + 1")) {
                statement.setString(1, event.type());
                statement.executeUpdate();
            }
        }
    }
    // end::postgres-projection[]

    // tag::postgres-batched-projection[]
    /** The same counts, written once per batch: one JDBC batch of upserts instead of one round trip per event. */
    static final class OrdersPerTypeBatched implements Projection<Connection> {
        private final Map<String, Long> counts = new HashMap<>();   // this batch's increments, one entry per key
        private ProjectionContext<Connection> batch;                 // the transaction attempt they belong to

        @Override
        public EventFilter filter() {
            return EventFilter.category("order");
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            new OrdersPerType().reset(context);
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) {
            if (batch != context) {                                  // a new attempt: drop what a rollback left
                counts.clear();
                batch = context;
            }
            counts.merge(event.type(), 1L, Long::sum);
        }

        @Override
        public void flush(ProjectionContext<Connection> context) throws SQLException {
            String upsert = "INSERT INTO orders_per_type_v" + context.version()
                    + " AS t VALUES (?, ?) ON CONFLICT (type) DO UPDATE SET n = t.n + excluded.n";
            try (PreparedStatement statement = context.transaction().prepareStatement(upsert)) {
                for (Map.Entry<String, Long> count : counts.entrySet()) {
                    statement.setString(1, count.getKey());
                    statement.setLong(2, count.getValue());
                    statement.addBatch();
                }
                statement.executeBatch();                           // in the transaction that moves the checkpoint
            } finally {
                counts.clear();
            }
        }
    }
    // end::postgres-batched-projection[]

    // tag::postgres-pipelined-projection[]
    /** The same counts, one upsert per event as in OrdersPerType, sent together when the batch ends. */
    static final class OrdersPerTypePipelined implements PipelinedProjection {
        @Override
        public EventFilter filter() {
            return EventFilter.category("order");
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            new OrdersPerType().reset(context);
        }

        @Override
        public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) {
            writes.add("INSERT INTO orders_per_type_v" + context.version()
                    + " AS t VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = t.n + 1", event.type());
        }
    }
    // The runner takes PipelinedWrites.projection(new OrdersPerTypePipelined()).
    // end::postgres-pipelined-projection[]

    @Test
    void the_postgres_projection_sample_runs() throws Exception {
        try (HikariDataSource pool = TestDatabase.pool(6)) {
            String schema = TestDatabase.newSchema(pool);
            try {
                TestDatabase.execute(pool, "CREATE SCHEMA IF NOT EXISTS read_" + schema);
                String url = TestDatabase.JDBC_URL + (TestDatabase.JDBC_URL.contains("?") ? "&" : "?")
                        + "currentSchema=read_" + schema + "," + schema;
                try (HikariDataSource dataSource = PostgresPool.builder(url).username(TestDatabase.USER)
                        .password(TestDatabase.PASSWORD).minIdle(1).maxSize(6).build()) {
                    run(dataSource, schema);
                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery("SELECT n FROM orders_per_type_v1 WHERE type = "
                                    + "'OrderPlaced'")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(1);
                    }
                }
            } finally {
                TestDatabase.execute(pool, "DROP SCHEMA IF EXISTS read_" + schema + " CASCADE");
                TestDatabase.dropSchema(pool, schema);
            }
        }
    }

    @Test
    void the_batched_projection_sample_counts_every_event_once() throws Exception {
        countEveryEventOnce(new OrdersPerTypeBatched());
    }

    @Test
    void the_pipelined_projection_sample_counts_every_event_once() throws Exception {
        countEveryEventOnce(PipelinedWrites.projection(new OrdersPerTypePipelined()));
    }

    private static void countEveryEventOnce(Projection<Connection> projection) throws Exception {
        try (HikariDataSource pool = TestDatabase.pool(6)) {
            String schema = TestDatabase.newSchema(pool);
            try {
                TestDatabase.execute(pool, "CREATE SCHEMA IF NOT EXISTS read_" + schema);
                String url = TestDatabase.JDBC_URL + (TestDatabase.JDBC_URL.contains("?") ? "&" : "?")
                        + "currentSchema=read_" + schema + "," + schema;
                try (HikariDataSource dataSource = PostgresPool.builder(url).username(TestDatabase.USER)
                        .password(TestDatabase.PASSWORD).minIdle(1).maxSize(6).build();
                        PostgresEventStore store = PostgresEventStore.builder(dataSource).schema(schema).build()) {
                    AppendResult last = null;
                    for (int i = 0; i < 25; i++) {
                        last = store.append("order-" + i, ExpectedVersion.noStream(), java.util.List.of(
                                EventData.of("OrderPlaced", "{}"), EventData.of("ItemAdded", "{}"),
                                EventData.of("ItemAdded", "{}")));
                    }
                    try (ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                            PostgresProjectionStore.create(dataSource, schema), "orders-per-type-batched",
                            projection).batchSize(10).build()) {
                        runner.start();
                        assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(10))).isTrue();
                    }
                    try (Connection connection = dataSource.getConnection();
                            Statement statement = connection.createStatement();
                            ResultSet rs = statement.executeQuery("SELECT type, n FROM orders_per_type_v1")) {
                        Map<String, Long> counts = new HashMap<>();
                        while (rs.next()) {
                            counts.put(rs.getString(1), rs.getLong(2));
                        }
                        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("ItemAdded", 50L,
                                "OrderPlaced", 25L));
                    }
                }
            } finally {
                TestDatabase.execute(pool, "DROP SCHEMA IF EXISTS read_" + schema + " CASCADE");
                TestDatabase.dropSchema(pool, schema);
            }
        }
    }

    private static void run(HikariDataSource dataSource, String schema) throws InterruptedException {
        // tag::postgres-runner[]
        try (PostgresEventStore store = PostgresEventStore.builder(dataSource).schema(schema).build();
                ProjectionRunner<Connection> runner = ProjectionRunner
                        .builder(store, PostgresProjectionStore.create(dataSource, schema), "orders-per-type",
                                new OrdersPerType())
                        .version(1)                          // raise to rebuild beside the live version
                        .build()) {
            runner.start();                                  // in every replica: one leads, the others stand by
            AppendResult placed = store.append("order-1", ExpectedVersion.noStream(),
                    EventData.of("OrderPlaced", "{}"));
            if (!runner.awaitPosition(placed.lastLogPosition(), Duration.ofSeconds(5))) {
                throw new IllegalStateException("read model is behind: " + runner.status());
            }
            // Now SELECT n FROM orders_per_type_v<active version> sees the order (read-your-writes).
        }
        // end::postgres-runner[]
    }
}
