package dev.eventfold.eventstore.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: the injected clock, and caught-up subscriptions that cost no CPU. */
class InMemoryEventStoreTest {

    @Test
    void recorded_at_comes_from_the_injected_clock() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-02T03:04:05Z"));
        try (InMemoryEventStore store = InMemoryEventStore.builder().clock(now::get).build()) {
            store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
            now.set(Instant.parse("2026-01-02T03:04:06Z"));
            store.append("order-1", ExpectedVersion.exactly(0), EventData.of("OrderConfirmed", "{}"));

            assertThat(store.readStreamForward("order-1")).extracting(RecordedEvent::recordedAt)
                    .containsExactly(Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06Z"));
        }
    }

    @Test
    void a_caught_up_subscription_parks_its_thread_instead_of_polling() {
        try (InMemoryEventStore store = InMemoryEventStore.create()) {
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            AtomicReference<Thread> deliveryThread = new AtomicReference<>();
            try (Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), e -> {
                deliveryThread.set(Thread.currentThread());
                seen.add(e);
            })) {
                store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
                Thread thread = deliveryThread.get();

                await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.WAITING);
                long cpuBefore = cpuTime(thread);
                await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
                assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
                assertThat(cpuTime(thread) - cpuBefore).as("CPU ns used while idle").isLessThan(5_000_000L);

                store.append("order-1", ExpectedVersion.exactly(0), EventData.of("OrderConfirmed", "{}"));
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
                assertThat(subscription.isRunning()).isTrue();
            }
        }
    }

    @Test
    void a_subscription_reads_pages_no_larger_than_the_stores_read_limit() {
        EventStoreLimits limits = EventStoreLimits.builder().maxEventsPerRead(10).build();
        try (InMemoryEventStore store = InMemoryEventStore.builder().limits(limits).build()) {
            for (int i = 0; i < 30; i++) {
                store.append("order-" + i, ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
            }
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 30);
                assertThat(subscription.failure()).isEmpty();
            }
        }
    }

    @Test
    void closing_a_subscription_from_its_own_handler_does_not_deadlock() {
        try (InMemoryEventStore store = InMemoryEventStore.create()) {
            store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of("A", "{}"),
                    EventData.of("B", "{}")));
            AtomicReference<Subscription> self = new AtomicReference<>();
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), e -> {
                seen.add(e);
                await().atMost(Duration.ofSeconds(5)).until(() -> self.get() != null);
                self.get().close();
            });
            self.set(subscription);

            await().atMost(Duration.ofSeconds(10)).until(() -> !subscription.isRunning());
            assertThat(seen).hasSize(1);
            assertThat(subscription.failure()).isEmpty();
        }
    }

    @Test
    void to_string_names_the_store_and_no_content() {
        try (InMemoryEventStore store = InMemoryEventStore.create()) {
            assertThat(store.toString()).startsWith("InMemoryEventStore[inmemory-");
        }
    }

    private static long cpuTime(Thread thread) {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.getId());
    }
}
