package dev.eventfold.eventstore.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.projection.FailurePolicy;
import dev.eventfold.eventstore.projection.InMemoryProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.RetryPolicy;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.tck.Accounts;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventStoreMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventStoreMetrics metrics = EventStoreMetrics.of(registry, Tags.of("store", "main"));
    private final InMemoryEventStore store = InMemoryEventStore.builder().appendListener(metrics.appends()).build();

    @AfterEach
    void close() {
        store.close();
        registry.close();
    }

    private long appends(String category, String outcome) {
        var timer = registry.find("eventstore.append.duration").tags("store", "main", "category", category,
                "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void appends_are_counted_by_category_and_outcome_with_their_events_and_bytes() {
        List<EventData> batch = List.of(EventData.of("OrderPlaced", "{\"a\":1}"), EventData.of("ItemAdded", "{}"));
        store.append("order-1", ExpectedVersion.noStream(), batch);
        store.append("order-1", ExpectedVersion.noStream(), batch);
        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), EventData.of("X", "{}")))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThatThrownBy(() -> store.append("cart-1", ExpectedVersion.any(), batch.get(0)))
                .isInstanceOf(DuplicateEventException.class);
        assertThatThrownBy(() -> store.append("bad id with spaces", ExpectedVersion.any(), List.of()))
                .isInstanceOf(InvalidRequestException.class);

        assertThat(appends("order", "appended")).isEqualTo(1);
        assertThat(appends("order", "replayed")).isEqualTo(1);
        assertThat(appends("order", "conflict")).isEqualTo(1);
        assertThat(appends("cart", "duplicate")).isEqualTo(1);
        assertThat(appends("none", "invalid")).isEqualTo(1);
        var events = registry.get("eventstore.append.events").tags("category", "order").summary();
        assertThat(events.count()).as("replays write nothing and are not sized").isEqualTo(1);
        assertThat(events.totalAmount()).isEqualTo(2);
        assertThat(registry.get("eventstore.append.payload.size").tags("category", "order").summary()
                .totalAmount()).isEqualTo("{\"a\":1}".length() + "{}".length());
    }

    @Test
    void stream_ids_without_a_category_cannot_flood_the_registry() {
        for (int i = 0; i < CategoryTags.MAX_CATEGORIES + 50; i++) {
            store.append("stream" + i, ExpectedVersion.noStream(), EventData.of("Happened", "{}"));
        }

        assertThat(registry.find("eventstore.append.duration").timers()).hasSize(CategoryTags.MAX_CATEGORIES + 1);
        assertThat(appends("other", "appended")).isEqualTo(50);
    }

    @Test
    void loads_cache_snapshots_and_conflicts_of_a_repository_are_measured() {
        AggregateRepository<Accounts.Command, Accounts.Account, Accounts.Event> accounts = AggregateRepository
                .builder(store, Accounts.DECIDER, Accounts.EVENT_TYPES).category("account")
                .snapshots(new InMemorySnapshotStore(), StateCodec.jackson(Accounts.Account.class, 1),
                        SnapshotPolicy.everyNEvents(2))
                .listener(metrics.loads("account")).build();
        try {
            accounts.handle("a1", new Accounts.Open("ada"));
            accounts.handle("a1", new Accounts.Deposit(BigDecimal.TEN));
            accounts.handle("a1", new Accounts.Deposit(BigDecimal.ONE));
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("eventstore.snapshots")
                    .tags("aggregate", "account", "outcome", "written").counter() != null);
            accounts.load("a1");
        } finally {
            accounts.close();
        }

        var fromEvents = registry.get("eventstore.load.duration").tags("aggregate", "account", "source", "events")
                .timer();
        var fromSnapshot = registry.find("eventstore.load.duration").tags("source", "snapshot").timer();
        assertThat(fromEvents.count() + (fromSnapshot == null ? 0 : fromSnapshot.count())).isEqualTo(4);
        assertThat(fromSnapshot).as("the last load starts from the snapshot taken at version 1").isNotNull();
        assertThat(registry.get("eventstore.load.events").tags("aggregate", "account").summary().count())
                .isEqualTo(4);
    }

    @Test
    void projections_count_events_by_outcome_time_batches_and_expose_their_lag() {
        for (int i = 0; i < 5; i++) {
            store.append("order-" + i, ExpectedVersion.noStream(), EventData.of(i == 2 ? "Poison" : "OrderPlaced",
                    "{}"));
        }
        Projection<Void> projection = new Projection<>() {
            @Override
            public void apply(ProjectionContext<Void> context, RecordedEvent event) {
                if (event.type().equals("Poison")) {
                    throw new IllegalStateException("cannot apply");
                }
            }
        };
        ProjectionRunner<Void> runner = ProjectionRunner.builder(store, new InMemoryProjectionStore(),
                "order-summary", projection).version(3).listener(metrics.projections())
                .retry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)))
                .onFailure(FailurePolicy.CONTINUE).build();
        metrics.bindLag(runner);
        var lag = registry.get("eventstore.projection.lag.events").tags("projection", "order-summary", "version", "3")
                .gauge();
        assertThat(lag.value()).as("nothing applied yet").isEqualTo(5);
        runner.start();
        try {
            AppendResult last = store.append("order-9", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> runner.position().equals(last.lastLogPosition()));
        } finally {
            runner.close();
        }

        Tags tags = Tags.of("projection", "order-summary", "version", "3");
        assertThat(registry.get("eventstore.projection.events").tags(tags).tags("event_type", "OrderPlaced",
                "outcome", "success").counter().count()).as("attempts: a failed batch is applied again")
                .isGreaterThanOrEqualTo(5);
        assertThat(registry.get("eventstore.projection.events").tags(tags).tags("event_type", "Poison", "outcome",
                "failure").counter().count()).isEqualTo(2);
        assertThat(registry.get("eventstore.projection.dead.letters").tags(tags).counter().count()).isEqualTo(1);
        assertThat(registry.get("eventstore.projection.batch.events").tags(tags).summary().totalAmount())
                .as("committed events, the dead letter excluded").isEqualTo(5);
        System.gc(); // the gauges must hold what they read: Micrometer keeps a gauge's object weakly by default
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(lag.value()).isZero();
            assertThat(registry.get("eventstore.projection.dead.letters.pending").tags(tags).gauge().value())
                    .isEqualTo(1);
        });
    }
}
