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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Appends notify after they commit (not inside the append's transaction): a subscriber in another store, on its own
 * pool as in another process, is woken at once by the writer's notification; a writer built
 * {@code withoutNotifications()} sends none, so the same subscriber only sees the event at its next poll.
 *
 * <p>Timing: an idle subscription polls after 10 ms, 20 ms, 40 ms … (doubling), so its reads fall at about 2.55 s and
 * 5.11 s after it starts. Both tests append 3 s after subscribing and look before 4.5 s: only a notification can have
 * woken the subscriber in that window.
 */
class NotifierTest {

    private HikariDataSource writerPool;
    private HikariDataSource readerPool;
    private String schema;

    @BeforeEach
    void setUp() {
        writerPool = TestDatabase.pool(4);
        readerPool = TestDatabase.pool(4);
        schema = TestDatabase.newSchema(writerPool);
    }

    @AfterEach
    void tearDown() {
        TestDatabase.dropSchema(writerPool, schema);
        writerPool.close();
        readerPool.close();
    }

    @Test
    void a_subscriber_elsewhere_is_woken_by_the_writers_notification_right_after_commit() throws InterruptedException {
        try (PostgresEventStore writer = PostgresEventStore.builder(writerPool).schema(schema).build();
                PostgresEventStore reader = PostgresEventStore.builder(readerPool).schema(schema)
                        .maxPollInterval(Duration.ofMinutes(1)).build()) {
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription ignored = reader.subscribe(LogPosition.START, EventFilter.all(), seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(reader::isListening);
                Thread.sleep(3_000);
                for (int i = 0; i < 50; i++) {
                    writer.append("order-" + i, ExpectedVersion.noStream(), EventData.of("Placed", "{\"n\":" + i + "}"));
                }
                // Before the next poll: only a notification can have woken the subscriber, and the last appends of
                // the burst are not lost to coalescing.
                await().atMost(Duration.ofMillis(1_200)).until(() -> seen.size() == 50);
            }
        }
    }

    @Test
    void a_writer_without_notifications_wakes_nobody() throws InterruptedException {
        try (PostgresEventStore writer = PostgresEventStore.builder(writerPool).schema(schema).withoutNotifications()
                .build();
                PostgresEventStore reader = PostgresEventStore.builder(readerPool).schema(schema)
                        .maxPollInterval(Duration.ofMinutes(1)).build()) {
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription ignored = reader.subscribe(LogPosition.START, EventFilter.all(), seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(reader::isListening);
                Thread.sleep(3_000);
                writer.append("order-1", ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
                Thread.sleep(1_200);
                assertThat(seen).as("no notification, and the next poll is later").isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            }
        }
    }
}
