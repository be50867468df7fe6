package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionFencedException;
import dev.eventfold.eventstore.projection.ProjectionStore;
import dev.eventfold.eventstore.tck.ForwardingProjectionStore;
import dev.eventfold.eventstore.projection.ProjectionStore.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two runners of one projection on separate pools (as two replicas would be): one leads; killing its lease connection
 * hands leadership to the other within a bounded time; and a leader paused across the takeover cannot write after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionLeadershipTest {

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private String schema;

    @BeforeAll
    void setUp() {
        poolA = TestDatabase.pool(6);
        poolB = TestDatabase.pool(6);
    }

    @BeforeEach
    void newSchema() {
        schema = TestDatabase.newSchema(poolA);
    }

    @AfterEach
    void dropSchema() {
        TestDatabase.dropSchema(poolA, schema);
    }

    @AfterAll
    void tearDown() {
        poolA.close();
        poolB.close();
    }

    /** Records which runner wrote each event, in a table without a key: a second write would show as a second row. */
    private final class Writes implements Projection<Connection> {
        private final String table;
        private final String writer;

        Writes(String table, String writer) {
            this.table = schema + "." + table;
            this.writer = writer;
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws SQLException {
            try (PreparedStatement statement = context.transaction().prepareStatement(
                    "INSERT INTO " + table + " (event_id, writer, token) VALUES (?, ?, ?)")) {
                statement.setObject(1, event.eventId());
                statement.setString(2, writer);
                statement.setLong(3, context.fencingToken());
                statement.executeUpdate();
            }
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (event_id uuid, writer text, token bigint)");
                statement.execute("TRUNCATE " + table);
            }
        }
    }

    private List<String> rows(String table) throws SQLException {
        try (Connection connection = poolA.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT event_id || ' ' || writer FROM " + schema + "." + table
                        + " ORDER BY event_id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private int killLease(String projection) throws SQLException {
        try (Connection connection = poolA.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, "eventfold-lease:" + projection + ":v1");
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ProjectionRunner<Connection> runner(PostgresEventStore store, ProjectionStore<Connection> projections,
            String name, Projection<Connection> projection) {
        return ProjectionRunner.builder(store, projections, name, projection).pollInterval(Duration.ofMillis(20))
                .leaseRetryInterval(Duration.ofMillis(100)).build();
    }

    @Test
    void killing_the_leaders_lock_connection_hands_the_projection_to_the_other_replica() throws Exception {
        try (PostgresEventStore storeA = PostgresEventStore.builder(poolA).schema(schema).build();
                PostgresEventStore storeB = PostgresEventStore.builder(poolB).schema(schema).build();
                ProjectionRunner<Connection> a = runner(storeA, PostgresProjectionStore.create(poolA, schema),
                        "takeover", new Writes("takeover_writes", "a"));
                ProjectionRunner<Connection> b = runner(storeB, PostgresProjectionStore.create(poolB, schema),
                        "takeover", new Writes("takeover_writes", "b"))) {
            a.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.status().state() == ProjectionState.RUNNING);
            b.start();
            LogPosition twenty = null;
            for (int i = 0; i < 20; i++) {
                twenty = storeA.append("order-" + i, ExpectedVersion.any(), EventData.of("Placed", "{}"))
                        .lastLogPosition();
            }
            assertThat(a.awaitPosition(twenty, Duration.ofSeconds(30))).isTrue();
            assertThat(b.status().state()).isEqualTo(ProjectionState.STANDBY);

            long killedAt = System.nanoTime();
            assertThat(killLease("takeover")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.status().state() == ProjectionState.RUNNING);
            long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            await().atMost(Duration.ofSeconds(10)).until(() -> a.status().state() == ProjectionState.STANDBY);

            LogPosition forty = null;
            for (int i = 20; i < 40; i++) {
                forty = storeB.append("order-" + i, ExpectedVersion.any(), EventData.of("Placed", "{}"))
                        .lastLogPosition();
            }
            assertThat(b.awaitPosition(forty, Duration.ofSeconds(30))).isTrue();

            List<String> rows = rows("takeover_writes");
            assertThat(rows).hasSize(40);
            assertThat(rows.stream().map(r -> r.substring(0, 36)).distinct()).hasSize(40);
            assertThat(rows.stream().filter(r -> r.endsWith(" b"))).hasSizeGreaterThanOrEqualTo(20);
            assertThat(b.deadLetters()).isEmpty();
            System.out.printf("projection takeover after the leader's lock connection was killed: %d ms "
                    + "(lease retry interval 100 ms)%n", takeoverMillis);
        }
    }

    @Test
    void a_leader_paused_across_a_takeover_cannot_write_after_it() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean pauseNextCommit = new AtomicBoolean(false);
        List<Throwable> aCommitOutcome = new ArrayList<>();
        ProjectionStore<Connection> pausingA = new Pausing(PostgresProjectionStore.create(poolA, schema),
                pauseNextCommit, paused, resume, aCommitOutcome);
        try (PostgresEventStore storeA = PostgresEventStore.builder(poolA).schema(schema).build();
                PostgresEventStore storeB = PostgresEventStore.builder(poolB).schema(schema).build();
                ProjectionRunner<Connection> a = runner(storeA, pausingA, "fenced", new Writes("fenced_writes", "a"));
                ProjectionRunner<Connection> b = runner(storeB, PostgresProjectionStore.create(poolB, schema),
                        "fenced", new Writes("fenced_writes", "b"))) {
            a.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.status().state() == ProjectionState.RUNNING);
            b.start();
            pauseNextCommit.set(true);
            LogPosition x = storeA.append("order-x", ExpectedVersion.any(), EventData.of("Placed", "{}"))
                    .lastLogPosition();
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("A read the event and is about to commit").isTrue();

            assertThat(killLease("fenced")).isEqualTo(1);
            assertThat(b.awaitPosition(x, Duration.ofSeconds(30))).as("B took over and applied the event").isTrue();
            resume.countDown(); // A wakes up, still believing it leads, and commits

            await().atMost(Duration.ofSeconds(30)).until(() -> !aCommitOutcome.isEmpty());
            assertThat(aCommitOutcome.get(0)).isInstanceOf(ProjectionFencedException.class);
            assertThat(rows("fenced_writes")).as("only B's write survived").hasSize(1).allMatch(r -> r.endsWith(" b"));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.status().state() == ProjectionState.STANDBY);
        }
    }

    /** Delegates, but can hold one commit before it reaches the database, as a GC pause or a frozen VM would. */
    private static final class Pausing extends ForwardingProjectionStore<Connection> {
        private final AtomicBoolean pauseNext;
        private final CountDownLatch paused;
        private final CountDownLatch resume;
        private final List<Throwable> outcome;

        Pausing(ProjectionStore<Connection> delegate, AtomicBoolean pauseNext, CountDownLatch paused,
                CountDownLatch resume, List<Throwable> outcome) {
            super(delegate);
            this.pauseNext = pauseNext;
            this.paused = paused;
            this.resume = resume;
            this.outcome = outcome;
        }

        @Override
        public void commit(Lease lease, LogPosition to, Work<Connection> work) throws Exception {
            if (pauseNext.compareAndSet(true, false)) {
                paused.countDown();
                resume.await(60, TimeUnit.SECONDS);
                try {
                    delegate.commit(lease, to, work);
                    outcome.add(new AssertionError("the deposed leader's commit went through"));
                } catch (Exception e) {
                    outcome.add(e);
                    throw e;
                }
                return;
            }
            delegate.commit(lease, to, work);
        }
    }
}
