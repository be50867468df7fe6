package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.LogWatch;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The listener connection killed with {@code pg_terminate_backend} during live delivery: nothing is lost or
 * duplicated, delivery goes on by polling, and the listener comes back. One listener serves many subscriptions, and
 * closing the last one gives its connection back promptly.
 */
class ListenerFailoverTest {

    @Test
    void killing_the_listener_loses_nothing_and_it_comes_back() throws Exception {
        HikariDataSource pool = TestDatabase.pool(8);
        String schema = TestDatabase.newSchema(pool);
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema)
                .maxPollInterval(Duration.ofMillis(200)).build()) {
            List<RecordedEvent> first = new CopyOnWriteArrayList<>();
            List<RecordedEvent> second = new CopyOnWriteArrayList<>();
            List<UUID> written = new ArrayList<>();
            try (Subscription a = store.subscribe(LogPosition.START, EventFilter.all(), first::add);
                    Subscription b = store.subscribe(LogPosition.START, EventFilter.all(), second::add)) {
                await().atMost(Duration.ofSeconds(10)).until(store::isListening);
                assertThat(listenerPids(pool, schema)).as("one listener connection for two subscriptions").hasSize(1);

                for (int i = 0; i < 20; i++) {
                    written.add(appendOne(store, i));
                    if (i == 5) {
                        terminate(pool, listenerPids(pool, schema).get(0));
                    }
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> first.size() >= 20 && second.size() >= 20);
                await().atMost(Duration.ofSeconds(20)).until(store::isListening);
                for (int i = 20; i < 30; i++) {
                    written.add(appendOne(store, i));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> first.size() >= 30 && second.size() >= 30);

                assertThat(first).extracting(RecordedEvent::eventId).containsExactlyElementsOf(written);
                assertThat(second).extracting(RecordedEvent::eventId).containsExactlyElementsOf(written);
                assertThat(listenerPids(pool, schema)).hasSize(1);
                assertThat(a.isRunning()).isTrue();
                assertThat(b.isRunning()).isTrue();
            }
        } finally {
            TestDatabase.dropSchema(pool, schema);
            pool.close();
        }
    }

    @Test
    void closing_the_last_watch_returns_promptly_with_the_connection_back_in_the_pool() throws Exception {
        HikariDataSource pool = TestDatabase.pool(8);
        String schema = TestDatabase.newSchema(pool);
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            long closingNanos = 0;
            for (int i = 0; i < 20; i++) {
                LogWatch watch = store.watchLog(() -> { });
                await().atMost(Duration.ofSeconds(10)).until(store::isListening);
                long started = System.nanoTime();
                watch.close();
                closingNanos += System.nanoTime() - started;
                assertThat(store.isListening()).as("no listener once the last watch is closed").isFalse();
                assertThat(listenerPids(pool, schema)).as("unlistened before close returned").isEmpty();
                assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("connections borrowed").isZero();
            }
            // Each close waits for the listener's thread to end its wait for notifications: at most
            // NotificationListener.POLL_MILLIS (100 ms, so at most about 2.2 s in all with the UNLISTEN); with the
            // 500 ms wait it was 5 s on average, and under 3 s about once in a thousand runs.
            assertThat(Duration.ofNanos(closingNanos)).isLessThan(Duration.ofSeconds(3));

            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription again = store.subscribe(LogPosition.START, EventFilter.all(), seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(store::isListening);
                assertThat(listenerPids(pool, schema)).hasSize(1);
                appendOne(store, 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            }
        } finally {
            TestDatabase.dropSchema(pool, schema);
            pool.close();
        }
    }

    private static UUID appendOne(PostgresEventStore store, int i) {
        EventData event = EventData.of("Numbered", "{\"n\":" + i + "}");
        store.append("order-" + (i % 3), ExpectedVersion.any(), event);
        return event.eventId();
    }

    private static List<Integer> listenerPids(HikariDataSource pool, String schema) throws Exception {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                        + " WHERE application_name = ? AND query = ?")) {
            statement.setString(1, NotificationListener.APPLICATION_NAME);
            statement.setString(2, "LISTEN " + schema + "_events");
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }
    }

    private static void terminate(HikariDataSource pool, int pid) throws Exception {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }
}
