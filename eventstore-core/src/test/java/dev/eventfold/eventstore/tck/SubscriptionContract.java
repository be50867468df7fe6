package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Subscriptions: catch-up then live, every event exactly once and in log order (also while writers run), resumable
 * from their position, stopped by close, by a failing handler, or by closing the store.
 */
@Timeout(120)
public abstract class SubscriptionContract extends ContractSupport {

    /**
     * How long a test waits for asynchronous delivery: 30 s, or the seconds in the system property
     * {@code eventfold.tck.asyncWaitSeconds} (the meta-test shortens it for stores that are broken on purpose).
     */
    private Duration asyncWait = Duration.ofSeconds(30);

    @BeforeEach
    final void readAsyncWait() {
        asyncWait = Duration.ofSeconds(Long.getLong("eventfold.tck.asyncWaitSeconds", 30));
    }

    /** Collects what a subscription delivers. */
    protected static final class Collector {
        final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

        void handle(RecordedEvent event) {
            events.add(event);
        }

        List<UUID> ids() {
            return idsOf(events);
        }
    }

    private Subscription subscribe(LogPosition after, EventFilter filter, Collector collector) {
        return store.subscribe(after, filter, collector::handle);
    }

    @Test
    void catch_up_delivers_stored_events_in_log_order() {
        for (int i = 0; i < 4; i++) {
            store.append(newStream("order"), ExpectedVersion.noStream(), events(5));
        }
        Collector collector = new Collector();

        try (Subscription subscription = subscribe(LogPosition.START, EventFilter.all(), collector)) {
            await().atMost(asyncWait).until(() -> collector.events.size() >= 20);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(collector.ids()).containsExactlyElementsOf(idsOf(readWholeLog(store)));
    }

    @Test
    void live_delivery_sends_events_appended_after_subscribing() {
        Collector collector = new Collector();
        try (Subscription subscription = subscribe(LogPosition.START, EventFilter.all(), collector)) {
            List<EventData> later = events(3);
            store.append(newStream("order"), ExpectedVersion.noStream(), later);

            await().atMost(asyncWait).until(() -> collector.events.size() >= 3);
            assertRecordedAs(collector.events, later);
            assertThat(subscription.position()).isEqualTo(collector.events.get(2).logPosition());
        }
    }

    @Test
    void catch_up_then_live_while_writers_run_delivers_each_event_once_in_log_order() throws Exception {
        for (int i = 0; i < 10; i++) {
            store.append(newStream("order"), ExpectedVersion.noStream(), events(5));
        }
        Collector collector = new Collector();
        int writers = 4;
        int appendsEach = 25;

        try (Subscription ignored = subscribe(LogPosition.START, EventFilter.all(), collector)) {
            List<Race.Outcome<Integer>> outcomes = Race.run(writers, w -> () -> {
                for (int n = 0; n < appendsEach; n++) {
                    store.append(newStream("order"), ExpectedVersion.noStream(), events(2));
                }
                return appendsEach * 2;
            });
            assertThat(outcomes).allMatch(Race.Outcome::succeeded);
            int total = 50 + writers * appendsEach * 2;
            await().atMost(asyncWait).until(() -> collector.events.size() >= total);

            List<RecordedEvent> log = readWholeLog(store);
            assertThat(log).hasSize(total);
            assertThat(collector.ids()).as("delivered exactly the log, in its order")
                    .containsExactlyElementsOf(idsOf(log));
        }
    }

    @Test
    void subscribing_after_a_position_delivers_only_later_events() {
        store.append(newStream("order"), ExpectedVersion.noStream(), events(4));
        LogPosition middle = store.readAll(LogPosition.START).get(1).logPosition();
        List<EventData> later = events(2);
        store.append(newStream("order"), ExpectedVersion.noStream(), later);
        Collector collector = new Collector();

        try (Subscription ignored = subscribe(middle, EventFilter.all(), collector)) {
            await().atMost(asyncWait).until(() -> collector.events.size() >= 4);
        }

        List<RecordedEvent> log = store.readAll(LogPosition.START);
        assertThat(collector.ids()).containsExactlyElementsOf(idsOf(log.subList(2, 6)));
    }

    @Test
    void closing_stops_delivery() {
        Collector stopped = new Collector();
        Subscription subscription = subscribe(LogPosition.START, EventFilter.all(), stopped);
        store.append(newStream("order"), ExpectedVersion.noStream(), event("First"));
        await().atMost(asyncWait).until(() -> stopped.events.size() == 1);

        subscription.close();
        assertThat(subscription.isRunning()).isFalse();
        store.append(newStream("order"), ExpectedVersion.noStream(), event("Second"));

        Collector witness = new Collector();
        try (Subscription ignored = subscribe(LogPosition.START, EventFilter.all(), witness)) {
            await().atMost(asyncWait).until(() -> witness.events.size() == 2);
        }
        assertThat(stopped.events).hasSize(1);
        assertThat(subscription.failure()).isEmpty();
    }

    @Test
    void resuming_after_the_position_of_a_closed_subscription_loses_and_repeats_nothing() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(10));
        Collector first = new Collector();
        Subscription subscription = subscribe(LogPosition.START, EventFilter.all(), first);
        await().atMost(asyncWait).until(() -> first.events.size() == 10);
        subscription.close();
        LogPosition resumeAfter = subscription.position();
        assertThat(resumeAfter).isEqualTo(first.events.get(9).logPosition());
        List<EventData> later = events(5);
        store.append(stream, ExpectedVersion.exactly(9), later);

        Collector second = new Collector();
        try (Subscription ignored = subscribe(resumeAfter, EventFilter.all(), second)) {
            await().atMost(asyncWait).until(() -> second.events.size() >= 5);
        }

        assertRecordedAs(second.events, later);
    }

    @Test
    void a_failing_handler_stops_the_subscription_and_its_event_is_redelivered_on_resume() {
        String stream = newStream("order");
        List<EventData> written = events(5);
        store.append(stream, ExpectedVersion.noStream(), written);
        IllegalStateException boom = new IllegalStateException("handler failed on purpose");
        List<RecordedEvent> handled = new CopyOnWriteArrayList<>();

        Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), event -> {
            if (event.streamVersion() == 2) {
                throw boom;
            }
            handled.add(event);
        });
        await().atMost(asyncWait).until(() -> !subscription.isRunning());

        assertThat(subscription.failure()).containsSame(boom);
        assertThat(handled).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L);
        assertThat(subscription.position()).isEqualTo(handled.get(1).logPosition());

        Collector resumed = new Collector();
        try (Subscription ignored = subscribe(subscription.position(), EventFilter.all(), resumed)) {
            await().atMost(asyncWait).until(() -> resumed.events.size() >= 3);
        }
        assertRecordedAs(resumed.events, written.subList(2, 5));
        subscription.close();
    }

    @Test
    void a_filtered_subscription_delivers_only_matching_events() {
        EventData wanted = event("Placed");
        EventData wantedLater = event("Placed");
        store.append(newStream("order"), ExpectedVersion.noStream(), List.of(wanted, event("Confirmed")));
        store.append(newStream("customer"), ExpectedVersion.noStream(), event("Placed"));
        Collector collector = new Collector();

        try (Subscription ignored = subscribe(LogPosition.START, EventFilter.category("order").withTypes("Placed"),
                collector)) {
            store.append(newStream("invoice"), ExpectedVersion.noStream(), event("Placed"));
            store.append(newStream("order"), ExpectedVersion.noStream(), List.of(event("Shipped"), wantedLater));
            // wantedLater is the last event of the log, so anything wrongly let through arrives before it.
            await().atMost(asyncWait).until(() -> collector.events.size() >= 2);
        }
        assertRecordedAs(collector.events, List.of(wanted, wantedLater));
    }

    @Test
    void await_position_returns_once_the_handler_completed_every_selected_event_up_to_an_append()
            throws InterruptedException {
        Collector collector = new Collector();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (Subscription subscription = store.subscribe(LogPosition.START, EventFilter.category("order"), event -> {
            release.await();
            collector.handle(event);
        })) {
            AppendResult order = store.append(newStream("order"), ExpectedVersion.noStream(), events(3));
            assertThat(subscription.awaitPosition(order.lastLogPosition(), Duration.ofMillis(200)))
                    .as("the handler is held: not there yet").isFalse();
            release.countDown();
            assertThat(subscription.awaitPosition(order.lastLogPosition(), asyncWait)).isTrue();
            assertThat(collector.events).hasSize(3);

            // The last append is outside the filter: the subscription has passed it once it has nothing of its own.
            AppendResult other = store.append(newStream("customer"), ExpectedVersion.noStream(), event("Placed"));
            assertThat(subscription.awaitPosition(other.lastLogPosition(), asyncWait)).isTrue();
            assertThat(subscription.position()).as("no filtered-out event moves the position")
                    .isEqualTo(order.lastLogPosition());

            assertThat(subscription.awaitPosition(new LogPosition(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2),
                    Duration.ofMillis(100))).as("a position not (yet) in the log is not passed").isFalse();
            assertThatThrownBy(() -> subscription.awaitPosition(null, asyncWait))
                    .isInstanceOf(InvalidRequestException.class);
        }
        AppendResult after = store.append(newStream("order"), ExpectedVersion.noStream(), event("Late"));
        Subscription failed = store.subscribe(LogPosition.START, EventFilter.category("order"), event -> {
            throw new IllegalStateException("stops at the first event");
        });
        await().atMost(asyncWait).until(() -> !failed.isRunning());
        long started = System.nanoTime();
        assertThat(failed.awaitPosition(after.lastLogPosition(), Duration.ofSeconds(20)))
                .as("a stopped subscription never gets there").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("and says so at once")
                .isLessThan(Duration.ofSeconds(10));
        failed.close();
    }

    @Test
    void two_subscriptions_each_receive_every_event() {
        Collector one = new Collector();
        Collector two = new Collector();
        try (Subscription a = subscribe(LogPosition.START, EventFilter.all(), one);
                Subscription b = subscribe(LogPosition.START, EventFilter.all(), two)) {
            List<EventData> written = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                List<EventData> batch = events(2);
                store.append(newStream("order"), ExpectedVersion.noStream(), batch);
                written.addAll(batch);
            }
            await().atMost(asyncWait).until(() -> one.events.size() >= 10 && two.events.size() >= 10);
            assertRecordedAs(one.events, written);
            assertRecordedAs(two.events, written);
        }
    }

    @Test
    void closing_the_store_stops_its_subscriptions_and_refuses_further_calls() {
        Collector collector = new Collector();
        Subscription subscription = subscribe(LogPosition.START, EventFilter.all(), collector);
        store.append(newStream("order"), ExpectedVersion.noStream(), event("First"));
        await().atMost(asyncWait).until(() -> collector.events.size() == 1);

        store.close();

        await().atMost(asyncWait).until(() -> !subscription.isRunning());
        assertThatThrownBy(() -> store.append(newStream("order"), ExpectedVersion.any(), event("Late")))
                .isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.readAll(LogPosition.START))
                .isInstanceOf(EventStoreUnavailableException.class);
        assertThatThrownBy(() -> store.subscribe(LogPosition.START, EventFilter.all(), collector::handle))
                .isInstanceOf(EventStoreUnavailableException.class);
        assertThat(collector.events).hasSize(1);
    }

    @Test
    void a_log_watch_is_called_after_an_append_until_it_is_closed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        dev.eventfold.eventstore.LogWatch watch = store.watchLog(calls::incrementAndGet);
        store.append(newStream("order"), ExpectedVersion.noStream(), event("Tested"));
        await().atMost(asyncWait).until(() -> calls.get() > 0);

        watch.close();
        Thread.sleep(300); // a notification already on its way may still arrive
        int closedAt = calls.get();
        store.append(newStream("order"), ExpectedVersion.noStream(), event("Tested"));
        Thread.sleep(300);
        assertThat(calls.get()).as("no call after the watch was closed").isEqualTo(closedAt);
    }
}
