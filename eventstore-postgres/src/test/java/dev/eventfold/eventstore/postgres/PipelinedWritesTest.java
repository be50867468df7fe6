package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.RetryPolicy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link PipelinedWrites} on PostgreSQL: writes wait for the end of their batch and then run in the order they were
 * queued; a failing statement is traced to its event; statements of a rolled-back attempt are never sent again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelinedWritesTest {

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(6);
    }

    @BeforeEach
    void newSchema() {
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterEach
    void dropSchema() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
    }

    @AfterAll
    void tearDown() {
        pool.close();
    }

    /**
     * Keeps one row per account: an insert for its first event, then an update that only matches the row its previous
     * event left, so a write sent out of order (an update before its insert, or two updates swapped) changes nothing
     * and shows as a short count.
     */
    private class Ledger implements PipelinedProjection {
        final List<Long> rowsSeen = new ArrayList<>();

        @Override
        public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context)
                throws SQLException {
            rowsSeen.add(count(context.transaction(), "SELECT count(*) FROM " + schema + ".ledger"));
            if (event.streamVersion() == 0) {
                writes.add("INSERT INTO " + schema + ".ledger (account, version, seen) VALUES (?, ?, 1)",
                        event.streamId(), 0L);
            } else {
                writes.add("UPDATE " + schema + ".ledger SET version = ?, seen = seen + 1 WHERE account = ? AND "
                        + "version = ?", event.streamVersion(), event.streamId(), event.streamVersion() - 1);
            }
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + schema + ".ledger (account text PRIMARY KEY, "
                        + "version bigint NOT NULL, seen int NOT NULL, CHECK (account <> 'acct-poison'))");
                statement.execute("TRUNCATE " + schema + ".ledger");
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Appends {@code versions} events to each account, round robin, so inserts and updates alternate in a batch. */
    private LogPosition appendRoundRobin(List<String> accounts, int versions) {
        LogPosition last = null;
        for (int version = 0; version < versions; version++) {
            for (String account : accounts) {
                last = store.append(account, ExpectedVersion.any(), EventData.of("Deposited", "{}")).lastLogPosition();
            }
        }
        return last;
    }

    private Map<String, String> ledger() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT account, version, seen FROM " + schema + ".ledger")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2) + "/" + rs.getInt(3));
            }
        }
        return rows;
    }

    /**
     * The sizes of the batches the runner committed. A batch whose writes fail is applied again one event per
     * transaction, which would hide a wrong write behind a right result: these sizes show it.
     */
    private final List<Integer> committed = new CopyOnWriteArrayList<>();

    private ProjectionRunner<Connection> runner(String name, PipelinedProjection projection, int batchSize) {
        committed.clear();
        return ProjectionRunner.builder(store, PostgresProjectionStore.create(pool, schema), name,
                PipelinedWrites.projection(projection)).batchSize(batchSize)
                .retry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10)))
                .listener(new ProjectionListener() {
                    @Override
                    public void batchCommitted(String projection, int version, List<RecordedEvent> events,
                            Duration took) {
                        committed.add(events.size());
                    }
                }).build();
    }

    @Test
    void writes_wait_for_the_end_of_the_batch_and_run_in_the_order_they_were_queued() throws Exception {
        List<String> accounts = List.of("acct-1", "acct-2", "acct-3", "acct-4", "acct-5");
        LogPosition last = appendRoundRobin(accounts, 6);
        Ledger ledger = new Ledger();
        try (ProjectionRunner<Connection> runner = runner("ledger", ledger, 7)) {
            runner.start();
            assertThat(runner.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
            assertThat(runner.deadLetters()).isEmpty();
        }
        Map<String, String> expected = new TreeMap<>();
        accounts.forEach(account -> expected.put(account, "5/6"));
        assertThat(ledger()).isEqualTo(expected);
        assertThat(committed).containsExactly(7, 7, 7, 7, 2);
        // Batches of 7 over 30 events: within each, the rows seen stay at what the batches before left.
        assertThat(ledger.rowsSeen.subList(0, 7)).containsOnly(0L);
        assertThat(ledger.rowsSeen.subList(7, 14)).containsOnly(5L);
    }

    @Test
    void a_failing_statement_is_traced_to_its_event_which_is_dead_lettered_while_the_rest_commit() throws Exception {
        List<String> accounts = List.of("acct-1", "acct-2", "acct-poison", "acct-3");
        LogPosition last = appendRoundRobin(accounts, 3);
        try (ProjectionRunner<Connection> runner = runner("poisoned", new Ledger(), 50)) {
            runner.start();
            assertThat(runner.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
            List<DeadLetter> dead = runner.deadLetters();
            assertThat(dead).extracting(DeadLetter::streamId, DeadLetter::streamVersion)
                    .containsExactly(tuple("acct-poison", 0L));
            assertThat(dead.get(0).error()).contains("ledger");
        }
        // The poison account's updates match no row (its insert never landed); every other account is whole.
        assertThat(ledger()).isEqualTo(Map.of("acct-1", "2/3", "acct-2", "2/3", "acct-3", "2/3"));
    }

    @Test
    void statements_queued_by_an_attempt_that_rolled_back_are_not_sent_with_the_next() throws Exception {
        List<String> accounts = List.of("acct-1", "acct-2", "acct-3", "acct-4");
        LogPosition last = appendRoundRobin(accounts, 2);
        AtomicBoolean failedOnce = new AtomicBoolean();
        Ledger failsOnce = new Ledger() {
            @Override
            public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context)
                    throws SQLException {
                super.apply(writes, event, context);
                if (event.streamId().equals("acct-3") && event.streamVersion() == 1 && failedOnce.compareAndSet(false,
                        true)) {
                    throw new IllegalStateException("a passing failure, after seven statements were queued");
                }
            }
        };
        try (ProjectionRunner<Connection> runner = runner("retried", failsOnce, 50)) {
            runner.start();
            assertThat(runner.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
            // Inserts sent twice would break the primary key and dead-letter an event; updates twice would count 3.
            assertThat(runner.deadLetters()).isEmpty();
        }
        assertThat(committed).as("the second attempt commits the whole batch").containsExactly(8);
        assertThat(failedOnce).isTrue();
        assertThat(ledger()).containsOnlyKeys(accounts).allSatisfy((account, row) -> assertThat(row).isEqualTo("1/2"));
    }

    @Test
    void upserts_of_one_row_in_one_batch_each_take_effect_though_the_driver_merges_batched_inserts() throws Exception {
        // TestDatabase's pool is a PostgresPool, which turns pgjdbc's reWriteBatchedInserts on.
        List<String> accounts = List.of("acct-1", "acct-2", "acct-3");
        LogPosition last = appendRoundRobin(accounts, 5);
        PipelinedProjection counts = new PipelinedProjection() {
            @Override
            public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) {
                writes.add("INSERT INTO " + schema + ".ledger AS t (account, version, seen) VALUES (?, ?, 1) "
                        + "ON CONFLICT (account) DO UPDATE SET version = excluded.version, seen = t.seen + 1",
                        event.streamId(), event.streamVersion());
            }

            @Override
            public void reset(ProjectionContext<Connection> context) throws SQLException {
                new Ledger().reset(context);
            }
        };
        try (ProjectionRunner<Connection> runner = runner("upserts", counts, 50)) {
            runner.start();
            assertThat(runner.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
            assertThat(runner.deadLetters()).isEmpty();
        }
        assertThat(ledger()).isEqualTo(Map.of("acct-1", "4/5", "acct-2", "4/5", "acct-3", "4/5"));
        assertThat(committed).as("one batch, not one event at a time after a failed batch").containsExactly(15);
    }

    @Test
    void only_upserts_are_kept_from_being_merged() {
        assertThat(PipelinedWrites.unmerged("/* c */ insert into t values (?) on conflict (k)\ndo update set v = 1"))
                .startsWith("WITH pipelined AS (SELECT) /* c */ insert");
        assertThat(PipelinedWrites.unmerged("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING"))
                .isEqualTo("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING");
        assertThat(PipelinedWrites.unmerged("UPDATE t SET v = ? WHERE k = ?"))
                .isEqualTo("UPDATE t SET v = ? WHERE k = ?");
    }

    @Test
    void a_blank_statement_is_refused_with_a_reason() throws Exception {
        LogPosition last = appendRoundRobin(List.of("acct-1"), 1);
        PipelinedProjection blank = new Ledger() {
            @Override
            public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) {
                assertThatThrownBy(() -> writes.add(" ", 1)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("blank");
                assertThat(writes.size()).isZero();
            }
        };
        try (ProjectionRunner<Connection> runner = runner("blank", blank, 50)) {
            runner.start();
            assertThat(runner.awaitPosition(last, Duration.ofSeconds(30))).isTrue();
            assertThat(runner.deadLetters()).isEmpty();
        }
    }
}
