package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.postgres.faults.PgBouncer;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionStore;
import dev.eventfold.eventstore.snapshot.Snapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The library behind PgBouncer in transaction pooling mode (docs/postgres.md, "Behind PgBouncer"): appends, reads,
 * snapshots and read-model writes go through it; the LISTEN connection and the projection leases must not, and these
 * tests show what goes wrong when they do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBouncerTest {

    private PgBouncer bouncer;
    private HikariDataSource direct;
    private HikariDataSource pooled;
    private String schema;

    @BeforeAll
    void start() throws Exception {
        bouncer = PgBouncer.start(TestDatabase.JDBC_URL, TestDatabase.USER, 2);
        direct = TestDatabase.pool(4);
        pooled = through(bouncer, 8);
    }

    @BeforeEach
    void newSchema() {
        schema = TestDatabase.newSchema(direct);
    }

    @AfterEach
    void dropSchema() {
        TestDatabase.dropSchema(direct, schema);
    }

    @AfterAll
    void stop() {
        pooled.close();
        direct.close();
        bouncer.close();
    }

    private static HikariDataSource through(PgBouncer bouncer, int maxSize) {
        return PostgresPool.builder(bouncer.jdbcUrl()).username(TestDatabase.USER).password(TestDatabase.PASSWORD)
                .poolName("pgbouncer").minIdle(1).maxSize(maxSize).connectionTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void appends_reads_snapshots_and_projections_work_through_transaction_pooling() throws Exception {
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        ProjectionStore<Connection> projections = PostgresProjectionStore.create(pooled, direct, schema);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try (PostgresEventStore store = PostgresEventStore.builder(pooled).schema(schema).listenerDataSource(direct)
                .build();
                ProjectionRunner<Connection> runner = ProjectionRunner.builder(store, projections, "bounced",
                        new RowPerEvent(schema + ".bounced")).pollInterval(Duration.ofMillis(50)).build();
                Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), delivered::add)) {
            runner.start();
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                String own = "order-w" + writer;
                done.add(writers.submit(() -> {
                    ExpectedVersion expected = ExpectedVersion.noStream();
                    for (int i = 0; i < 50; i++) {
                        AppendResult result = store.append(own, expected, EventData.of("Placed", "{\"i\":" + i + "}"));
                        expected = ExpectedVersion.exactly(result.nextExpectedVersion());
                        store.append("order-shared", ExpectedVersion.any(), EventData.of("Touched", "{}"));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            List<EventData> batch = IntStream.range(0, 100)
                    .mapToObj(i -> EventData.of("Imported", "{\"i\":" + i + "}")).toList();
            AppendResult imported = store.append("order-batch", ExpectedVersion.noStream(), batch);
            AppendResult retried = store.append("order-batch", ExpectedVersion.noStream(), batch);
            assertThat(retried.globalPositions()).as("a retry is answered, not written twice")
                    .isEqualTo(imported.globalPositions());
            assertThatThrownBy(() -> store.append("order-batch", ExpectedVersion.exactly(5),
                    EventData.of("Late", "{}"))).isInstanceOf(WrongExpectedVersionException.class);

            for (int writer = 0; writer < 4; writer++) {
                assertThat(store.readStream("order-w" + writer, ReadDirection.FORWARD, 0, 100))
                        .extracting(RecordedEvent::streamVersion).containsExactlyElementsOf(
                                IntStream.range(0, 50).mapToObj(Long::valueOf).toList());
            }
            assertThat(store.readStream("order-shared", ReadDirection.FORWARD, 0, 500)).hasSize(200);
            List<RecordedEvent> log = store.readAll(LogPosition.START, EventFilter.all(), 1000);
            assertThat(log).hasSize(500);

            PostgresSnapshotStore snapshots = PostgresSnapshotStore.create(pooled, schema);
            Snapshot snapshot = new Snapshot("order-batch", 99, 1, Payload.ofJson("{\"lines\": 100}"),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            assertThat(snapshots.save(snapshot)).isTrue();
            assertThat(snapshots.latest("order-batch")).contains(snapshot);

            assertThat(runner.awaitPosition(imported.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
            assertThat(count("SELECT count(*) FROM " + schema + ".bounced")).isEqualTo(500);
            assertThat(count("SELECT count(DISTINCT event_id) FROM " + schema + ".bounced")).isEqualTo(500);
            await("the subscription").atMost(Duration.ofSeconds(30)).until(() -> delivered.size() >= 500);
            assertThat(delivered).extracting(RecordedEvent::eventId)
                    .containsExactlyElementsOf(log.stream().map(RecordedEvent::eventId).toList());
        } finally {
            writers.shutdownNow();
        }
    }

    /** How soon a store hears another process's append: through the pooler, never; it polls instead. */
    private boolean heardWithin(DataSource listenerSource, Duration wait) throws Exception {
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        try (PostgresEventStore listening = PostgresEventStore.builder(pooled).schema(schema)
                .listenerDataSource(listenerSource).maxPollInterval(Duration.ofMillis(500)).build();
                PostgresEventStore other = PostgresEventStore.builder(direct).schema(schema).build()) {
            LogPosition end = other.append("order-listen", ExpectedVersion.any(), EventData.of("Seen", "{}"))
                    .lastLogPosition();
            try (Subscription subscription = listening.subscribe(end, EventFilter.all(), delivered::add)) {
                await("the listener").atMost(Duration.ofSeconds(10)).until(listening::isListening);
                long before = listening.wakeups();
                other.append("order-listen", ExpectedVersion.any(), EventData.of("Seen", "{}"));
                long deadline = System.nanoTime() + wait.toNanos();
                while (listening.wakeups() == before && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                boolean heard = listening.wakeups() > before;
                await("delivery, by notification or by polling").atMost(Duration.ofSeconds(10))
                        .until(() -> delivered.size() == 1);
                return heard;
            }
        }
    }

    @Test
    void a_listener_through_the_pooler_hears_nothing_so_subscriptions_only_poll() throws Exception {
        assertThat(heardWithin(direct, Duration.ofSeconds(5))).as("LISTEN on a direct connection").isTrue();
        assertThat(heardWithin(pooled, Duration.ofSeconds(3))).as("LISTEN through transaction pooling").isFalse();
    }

    @Test
    void leases_through_the_pooler_let_two_runners_lead_at_once() throws Exception {
        try (PgBouncer single = PgBouncer.start(TestDatabase.JDBC_URL, TestDatabase.USER, 1);
                HikariDataSource onePooled = through(single, 4)) {
            PostgresProjectionStore broken = PostgresProjectionStore.create(onePooled, schema);
            Optional<ProjectionStore.Lease> first = broken.tryLead("doubled", 1);
            Optional<ProjectionStore.Lease> second = broken.tryLead("doubled", 1);
            try {
                assertThat(first).isPresent();
                assertThat(second).as("the advisory lock stayed on a shared server session: a second leader")
                        .isPresent();
            } finally {
                first.ifPresent(ProjectionStore.Lease::close);
                second.ifPresent(ProjectionStore.Lease::close);
            }

            PostgresProjectionStore fixed = PostgresProjectionStore.create(onePooled, direct, schema);
            Optional<ProjectionStore.Lease> leader = fixed.tryLead("single", 1);
            try {
                assertThat(leader).isPresent();
                assertThat(fixed.tryLead("single", 1)).as("leases on direct connections exclude each other")
                        .isEmpty();
            } finally {
                leader.ifPresent(ProjectionStore.Lease::close);
            }
        }
    }

    @Test
    void server_side_prepared_statements_break_through_pgbouncer_before_1_21() throws Exception {
        try (HikariDataSource prepared = PostgresPool.builder(bouncer.jdbcUrlWithPreparedStatements())
                .username(TestDatabase.USER).password(TestDatabase.PASSWORD).poolName("prepared").minIdle(1)
                .maxSize(4).build();
                PostgresEventStore store = PostgresEventStore.builder(prepared).schema(schema).build()) {
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        store.append("order-prepared", ExpectedVersion.any(), EventData.of("Placed", "{}"));
                        store.readStream("order-prepared", ReadDirection.FORWARD, 0, 10);
                    }
                    return null;
                }));
            }
            List<String> failures = new ArrayList<>();
            for (Future<?> future : done) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause().toString());
                }
            }
            writers.shutdownNow();
            assertThat(failures).as("why the URL needs prepareThreshold=0").isNotEmpty()
                    .allSatisfy(failure -> assertThat(failure).containsPattern("prepared statement \"S_\\d+\""));
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = direct.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
