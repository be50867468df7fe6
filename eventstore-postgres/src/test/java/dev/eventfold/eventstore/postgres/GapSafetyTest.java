package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Gap safety (DESIGN §4, ADR 0002): transaction A takes a global position, a later transaction B takes a higher one
 * and commits first, then A commits. A naive {@code global_position > last} reader skips A's event for ever; the
 * store's reader delivers both, in order, exactly once. Rolled-back positions never stall it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GapSafetyTest {

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(8);
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).maxPollInterval(Duration.ofMillis(100)).build();
    }

    @AfterAll
    void tearDown() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    @Test
    void a_late_commit_is_skipped_by_a_naive_reader_but_delivered_by_ours_in_order_exactly_once() throws Exception {
        List<RecordedEvent> subscribed = new CopyOnWriteArrayList<>();
        LogPosition start = lastPosition();
        long naiveLast = lastGlobalPosition();
        List<Long> naiveSeen = new ArrayList<>();
        UUID eventOfA = UUID.randomUUID();
        EventData eventOfB = EventData.of("Committed", "{\"by\":\"B\"}");

        try (Subscription subscription = store.subscribe(start, EventFilter.all(), subscribed::add);
                Connection a = pool.getConnection()) {
            a.setAutoCommit(false);
            long positionOfA = RawAppend.append(a, schema, "order-a", List.of(eventOfA), schema + "_events").get(0);
            long positionOfB = store.append("order-b", ExpectedVersion.any(), eventOfB).globalPositions().get(0);
            assertThat(positionOfB).as("B took its position after A").isGreaterThan(positionOfA);

            naiveSeen.addAll(naiveRead(naiveLast));
            naiveLast = naiveSeen.get(naiveSeen.size() - 1);
            assertThat(naiveSeen).as("the naive reader sees B while A is open").containsExactly(positionOfB);
            assertThat(store.readAll(start)).as("ours waits for A").isEmpty();

            ReaderHorizon horizon = store.readerHorizon();
            assertThat(horizon.eventsHeldBack()).isGreaterThanOrEqualTo(1);
            assertThat(horizon.holder()).hasValueSatisfying(holder -> {
                try {
                    assertThat(holder.pid()).isEqualTo(RawAppend.backendPid(a));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                assertThat(holder.state()).isEqualTo("idle in transaction");
                assertThat(holder.age()).isGreaterThanOrEqualTo(Duration.ZERO);
            });
            assertThat(horizon.lag(Instant.now())).isGreaterThanOrEqualTo(Duration.ZERO);

            a.commit();

            naiveSeen.addAll(naiveRead(naiveLast));
            assertThat(naiveSeen).as("the naive reader never sees A").containsExactly(positionOfB);

            List<RecordedEvent> ours = store.readAll(start);
            assertThat(ours).extracting(RecordedEvent::eventId).containsExactly(eventOfA, eventOfB.eventId());
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.size() >= 2);
            assertThat(subscribed).extracting(RecordedEvent::eventId).containsExactly(eventOfA, eventOfB.eventId());
            assertThat(subscription.position()).isEqualTo(ours.get(1).logPosition());
            assertThat(store.readerHorizon().eventsHeldBack()).isZero();
        }
    }

    @Test
    void rolled_back_positions_never_stall_readers() throws Exception {
        LogPosition start = lastPosition();
        try (Connection rolledBack = pool.getConnection()) {
            rolledBack.setAutoCommit(false);
            RawAppend.append(rolledBack, schema, "order-c", List.of(UUID.randomUUID(), UUID.randomUUID()), null);
            rolledBack.rollback();
        }
        EventData after = EventData.of("Committed", "{}");
        store.append("order-d", ExpectedVersion.any(), after);

        assertThat(store.readAll(start)).extracting(RecordedEvent::eventId).containsExactly(after.eventId());
    }

    private LogPosition lastPosition() {
        List<RecordedEvent> all = new ArrayList<>();
        LogPosition after = LogPosition.START;
        List<RecordedEvent> page;
        while (!(page = store.readAll(after)).isEmpty()) {
            all.addAll(page);
            after = page.get(page.size() - 1).logPosition();
        }
        return after;
    }

    private long lastGlobalPosition() throws SQLException {
        List<Long> all = naiveRead(0);
        return all.isEmpty() ? 0 : all.get(all.size() - 1);
    }

    /** The naive reader: everything above the last position seen, by position. */
    private List<Long> naiveRead(long last) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT global_position FROM " + schema
                        + ".events WHERE global_position > ? ORDER BY global_position")) {
            statement.setLong(1, last);
            List<Long> positions = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                }
            }
            return positions;
        }
    }
}
