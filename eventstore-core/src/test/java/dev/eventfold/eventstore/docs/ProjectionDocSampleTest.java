package dev.eventfold.eventstore.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.projection.FailurePolicy;
import dev.eventfold.eventstore.projection.InMemoryProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The in-memory code of docs/projections.md, compiled and run. */
class ProjectionDocSampleTest {

    @Test
    void the_in_memory_projection_sample_runs() throws Exception {
        Map<String, Integer> eventsPerOrder = new ConcurrentHashMap<>();
        // tag::in-memory[]
        Projection<Void> counter = new Projection<>() {
            @Override
            public EventFilter filter() {
                return EventFilter.category("order");
            }

            @Override
            public void apply(ProjectionContext<Void> context, RecordedEvent event) {
                // At-least-once without a transaction: make it idempotent (here: the count is the stream version + 1).
                eventsPerOrder.merge(event.streamId(), (int) event.streamVersion() + 1, Math::max);
            }
        };
        try (EventStore store = InMemoryEventStore.create();
                ProjectionRunner<Void> runner = ProjectionRunner
                        .builder(store, new InMemoryProjectionStore(), "events-per-order", counter)
                        .batchSize(100)
                        .retry(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(30)))
                        .onFailure(FailurePolicy.CONTINUE)
                        .build()) {
            runner.start();
            AppendResult placed = store.append("order-7", ExpectedVersion.noStream(),
                    EventData.of("OrderPlaced", "{}"));
            boolean visible = runner.awaitPosition(placed.lastLogPosition(), Duration.ofSeconds(5));
            System.out.println(visible + " " + eventsPerOrder + " " + runner.status());
        }
        // end::in-memory[]
        assertThat(eventsPerOrder).containsEntry("order-7", 1);
    }
}
