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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.postgresql.PGNotification;
import org.postgresql.core.Notification;
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

    @Test
    void a_notification_names_the_categories_appended_to_and_wakes_only_their_watchers() throws InterruptedException {
        String channel = schema + "_events";
        LogFollowers here = new LogFollowers("here", readerPool, readerPool, channel);
        LogFollowers elsewhere = new LogFollowers("elsewhere", writerPool, writerPool, channel);
        AtomicInteger orders = new AtomicInteger();
        AtomicInteger audits = new AtomicInteger();
        AtomicInteger any = new AtomicInteger();
        try (LogWatch o = here.watch("order", orders::incrementAndGet);
                LogWatch a = here.watch("audit", audits::incrementAndGet);
                LogWatch all = here.watch(null, any::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> here.isListening() && any.get() >= 1);
            orders.set(0);
            audits.set(0);
            any.set(0);

            elsewhere.appended("order-1");
            await("woken by the other process's notification").atMost(Duration.ofSeconds(10))
                    .until(() -> orders.get() == 1 && any.get() == 1);
            assertThat(audits.get()).as("the audit watcher, for an append to 'order'").isZero();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(3 * Wakeup.WIDE_NANOS)); // past the order watcher's wide window

            here.appended("audit-7");
            assertThat(audits.get()).as("woken by this process's own append at once").isPositive();
            await("and by its own notification").atMost(Duration.ofSeconds(10)).until(() -> audits.get() == 2);
            assertThat(orders.get()).as("the order watcher, for appends to 'audit'").isEqualTo(1);

            elsewhere.appended(null);
            await("every watcher woken by a notification that names no category (an import, an earlier version)")
                    .atMost(Duration.ofSeconds(10)).until(() -> orders.get() == 2 && audits.get() == 3);
        } finally {
            here.close();
            elsewhere.close();
        }
    }

    @Test
    void a_payload_lists_categories_one_per_line_or_is_empty_when_it_cannot() {
        assertThat(Notifier.payload(new LinkedHashSet<>(List.of("order", "audit")))).isEqualTo("order\naudit");
        assertThat(Notifier.payload(null)).as("not known").isEmpty();
        assertThat(Notifier.payload(Set.of("bad\ncategory"))).as("a category with the separator").isEmpty();
        assertThat(Notifier.payload(Set.of("x".repeat(Notifier.MAX_PAYLOAD)))).as("too long").isEmpty();

        PGNotification[] listed = {new Notification("c", 1, "order\naudit"), new Notification("c", 2, "customer")};
        assertThat(NotificationListener.categories(listed)).containsExactlyInAnyOrder("order", "audit", "customer");
        PGNotification[] unnamed = {new Notification("c", 1, "order"), new Notification("c", 2, "")};
        assertThat(NotificationListener.categories(unnamed)).as("one notification names none: wake all").isNull();
    }
}
