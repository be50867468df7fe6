package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.postgres.faults.PostgresCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Stream reads from a real streaming replica (PostgreSQL's own, made with {@code pg_basebackup}) whose replay the test
 * pauses to make it lag on demand: what the store wrote or learned is never read older, the replica answers what it
 * can, the primary what it cannot, and a page of {@code readAll} the replica cannot fill is the primary's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaReadsTest {

    private static final String SCHEMA = "replicated";
    private PostgresCluster cluster;
    private HikariDataSource primary;
    private HikariDataSource replica;

    @BeforeAll
    void start() throws Exception {
        cluster = PostgresCluster.start(false);
        primary = PostgresPool.builder(cluster.primaryUrl()).username("postgres").poolName("primary").minIdle(1)
                .maxSize(4).build();
        replica = PostgresPool.builder(cluster.replicaUrl()).username("postgres").poolName("replica").minIdle(1)
                .maxSize(4).build();
        PostgresEventStoreMigrator.migrate(primary, SCHEMA);
        awaitReplicaCaughtUp();
    }

    @AfterEach
    void resumeReplay() throws Exception {
        replay("pg_wal_replay_resume()");
    }

    @AfterAll
    void stop() {
        replica.close();
        primary.close();
        cluster.close();
    }

    private void replay(String function) throws Exception {
        try (Connection connection = replica.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + function);
        }
    }

    private void awaitReplicaCaughtUp() {
        await("the replica replays everything").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection p = primary.getConnection(); Statement ps = p.createStatement();
                    var lsn = ps.executeQuery("SELECT pg_current_wal_lsn()::text")) {
                lsn.next();
                try (Connection r = replica.getConnection(); Statement rs = r.createStatement();
                        var replayed = rs.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + lsn.getString(1)
                                + "'::pg_lsn")) {
                    replayed.next();
                    return replayed.getBoolean(1);
                }
            }
        });
    }

    private PostgresEventStore store(Duration maxWait) {
        return PostgresEventStore.builder(primary).schema(SCHEMA).readReplica(replica, maxWait).build();
    }

    private static EventData event(String type) {
        return EventData.of(type, "{}");
    }

    @Test
    void a_store_never_reads_its_own_writes_older_and_the_replica_answers_the_rest() throws Exception {
        try (PostgresEventStore store = store(Duration.ofMillis(200));
                PostgresEventStore other = PostgresEventStore.builder(primary).schema(SCHEMA).build()) {
            store.append("order-own", ExpectedVersion.noStream(), event("Placed"));
            other.append("order-other", ExpectedVersion.noStream(), event("Placed"));
            awaitReplicaCaughtUp();
            replay("pg_wal_replay_pause()");

            EventData ownConfirmed = event("Confirmed");
            EventData otherConfirmed = event("Confirmed");
            store.append("order-own", ExpectedVersion.exactly(0), ownConfirmed);
            other.append("order-other", ExpectedVersion.exactly(0), otherConfirmed);

            assertThat(store.readStream("order-own", ReadDirection.FORWARD, 0, 10))
                    .as("its own write, though the replica has not replayed it").hasSize(2);
            assertThat(store.replicaStats().orElseThrow().fromPrimary()).isEqualTo(1);
            assertThat(store.readStream("order-other", ReadDirection.FORWARD, 0, 10))
                    .as("a stream it knows nothing newer of: the replica's (older) answer").hasSize(1);
            assertThat(store.readAll(LogPosition.START, EventFilter.all(), 1000))
                    .as("a page the replica cannot fill is the primary's")
                    .extracting(RecordedEvent::eventId).contains(ownConfirmed.eventId(), otherConfirmed.eventId());
            await("replica lag shows").atMost(Duration.ofSeconds(10))
                    .until(() -> store.replicaLag().orElseThrow().toMillis() > 0);

            store.expectAtLeast("order-other", 1); // as from a client's ETag
            assertThat(store.readStream("order-other", ReadDirection.FORWARD, 0, 10)).hasSize(2);
            assertThat(store.replicaStats().orElseThrow().fromPrimary()).isEqualTo(2);

            replay("pg_wal_replay_resume()");
            awaitReplicaCaughtUp();
            long before = store.replicaStats().orElseThrow().fromReplica();
            assertThat(store.readStream("order-own", ReadDirection.FORWARD, 0, 10)).hasSize(2);
            assertThat(store.replicaStats().orElseThrow().fromReplica()).isEqualTo(before + 1);
            assertThat(store.replicaLag()).contains(Duration.ZERO);
        }
    }

    @Test
    void a_read_waits_for_a_replica_that_catches_up_within_max_wait() throws Exception {
        try (PostgresEventStore store = store(Duration.ofSeconds(10))) {
            store.append("order-wait", ExpectedVersion.noStream(), event("Placed"));
            awaitReplicaCaughtUp();
            replay("pg_wal_replay_pause()");
            store.append("order-wait", ExpectedVersion.exactly(0), event("Confirmed"));

            CompletableFuture<List<RecordedEvent>> read = CompletableFuture.supplyAsync(() ->
                    store.readStream("order-wait", ReadDirection.FORWARD, 0, 10));
            Thread.sleep(300);
            assertThat(read).as("waiting for the replica").isNotDone();
            replay("pg_wal_replay_resume()");

            assertThat(read.get(10, TimeUnit.SECONDS)).hasSize(2);
            assertThat(store.replicaStats().orElseThrow().afterWaiting()).isEqualTo(1);
            assertThat(store.replicaStats().orElseThrow().fromPrimary()).isZero();
        }
    }

    @Test
    void a_conflict_teaches_the_store_the_version_so_the_retry_is_not_stale() throws Exception {
        try (PostgresEventStore store = store(Duration.ofMillis(100));
                PostgresEventStore other = PostgresEventStore.builder(primary).schema(SCHEMA).build()) {
            other.append("order-race", ExpectedVersion.noStream(), event("Placed"));
            awaitReplicaCaughtUp();
            replay("pg_wal_replay_pause()");
            other.append("order-race", ExpectedVersion.exactly(0), event("Confirmed"));

            List<RecordedEvent> stale = store.readStream("order-race", ReadDirection.FORWARD, 0, 10);
            assertThat(stale).as("the replica is behind").hasSize(1);
            try {
                store.append("order-race", ExpectedVersion.exactly(0), event("Cancelled"));
            } catch (dev.eventfold.eventstore.WrongExpectedVersionException conflict) {
                assertThat(conflict.actual()).isEqualTo(1);
            }
            List<RecordedEvent> fresh = store.readStream("order-race", ReadDirection.FORWARD, 0, 10);
            assertThat(fresh).as("after the conflict, at least the version it reported").hasSize(2);
            store.append("order-race", ExpectedVersion.exactly(1), event("Cancelled"));
        }
    }

    @Test
    void a_stream_the_store_deleted_is_not_read_back_from_a_replica_that_has_not_seen_the_deletion() throws Exception {
        try (PostgresEventStore store = store(Duration.ofMillis(100))) {
            store.append("order-gone", ExpectedVersion.noStream(), event("Placed"));
            awaitReplicaCaughtUp();
            replay("pg_wal_replay_pause()");
            store.tombstone("order-gone", ExpectedVersion.any());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.readStream("order-gone",
                    ReadDirection.FORWARD, 0, 10)).isInstanceOf(dev.eventfold.eventstore.StreamDeletedException.class);
        }
    }

    @Test
    void log_pages_the_replica_fills_come_from_it_and_the_head_of_the_log_from_the_primary() throws Exception {
        try (PostgresEventStore store = store(Duration.ofMillis(100));
                PostgresEventStore plain = PostgresEventStore.builder(primary).schema(SCHEMA).build()) {
            for (int i = 0; i < 3; i++) {
                store.append("ledger-" + i, ExpectedVersion.noStream(), event("Opened"));
            }
            awaitReplicaCaughtUp();
            replay("pg_wal_replay_pause()");
            store.append("ledger-3", ExpectedVersion.noStream(), event("Opened"));
            store.append("ledger-4", ExpectedVersion.noStream(), event("Opened"));

            ReplicaStats before = store.replicaStats().orElseThrow();
            List<RecordedEvent> paged = new java.util.ArrayList<>();
            LogPosition after = LogPosition.START;
            for (List<RecordedEvent> page; !(page = store.readAll(after, EventFilter.category("ledger"), 2))
                    .isEmpty();) {
                paged.addAll(page);
                after = page.get(page.size() - 1).logPosition();
            }
            ReplicaStats stats = store.replicaStats().orElseThrow();

            assertThat(paged).as("the whole log, though the replica lacks its last two events")
                    .extracting(RecordedEvent::eventId).containsExactlyElementsOf(plain.readAll(LogPosition.START,
                            EventFilter.category("ledger"), 100).stream().map(RecordedEvent::eventId).toList())
                    .hasSize(5);
            assertThat(stats.logPagesFromReplica() - before.logPagesFromReplica()).as("the full first page")
                    .isEqualTo(1);
            assertThat(stats.logPagesFromPrimary() - before.logPagesFromPrimary())
                    .as("the page the replica could fill only in part, the last one and the empty one").isEqualTo(3);
        }
    }
}
