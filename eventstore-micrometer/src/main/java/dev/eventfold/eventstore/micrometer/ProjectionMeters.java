package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Meters of projection runners; see {@link EventStoreMetrics#projections()}. */
final class ProjectionMeters implements ProjectionListener {

    private final MeterRegistry registry;
    private final Tags tags;

    ProjectionMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    private Tags of(String projection, int version) {
        return tags.and("projection", projection).and("version", Integer.toString(version));
    }

    @Override
    public void eventApplied(String projection, int version, RecordedEvent event, Duration took) {
        Tags each = of(projection, version).and("event_type", event.type());
        Timer.builder("eventstore.projection.event.duration").description("Time to apply one event to a read model")
                .tags(each).register(registry).record(took);
        events(each, "success");
    }

    @Override
    public void eventFailed(String projection, int version, RecordedEvent event, int attempt, String error) {
        events(of(projection, version).and("event_type", event.type()), "failure");
    }

    private void events(Tags each, String outcome) {
        Counter.builder("eventstore.projection.events").description("Events applied to a read model, by outcome "
                + "(attempts: a batch applied again counts again)").tags(each).tag("outcome", outcome)
                .register(registry).increment();
    }

    @Override
    public void batchCommitted(String projection, int version, List<RecordedEvent> events, Duration took) {
        Tags each = of(projection, version);
        Timer.builder("eventstore.projection.batch.duration").description("Time to apply and commit a batch")
                .tags(each).register(registry).record(took);
        DistributionSummary.builder("eventstore.projection.batch.events").description("Events per committed batch")
                .baseUnit("events").tags(each).register(registry).record(events.size());
    }

    @Override
    public void deadLettered(String projection, int version, RecordedEvent event, String error) {
        Counter.builder("eventstore.projection.dead.letters").description("Events dead-lettered after their last "
                + "attempt").tags(of(projection, version)).register(registry).increment();
    }

    static void bindLag(MeterRegistry registry, Tags tags, ProjectionRunner<?> runner) {
        Tags each = tags.and("projection", runner.name()).and("version", Integer.toString(runner.version()));
        Throttled<ProjectionStatus> status = new Throttled<>(runner::status);
        gauge(registry, "eventstore.projection.lag.events", "Events the read model has still to apply", each, status,
                s -> s.lagEvents());
        gauge(registry, "eventstore.projection.lag.seconds", "Age of the oldest event the read model has still to "
                + "apply", each, status, s -> s.lag().toMillis() / 1000.0);
        gauge(registry, "eventstore.projection.dead.letters.pending", "Dead letters waiting for a replay or a skip",
                each, status, s -> s.pendingDeadLetters());
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags,
            Throttled<ProjectionStatus> status, ToDoubleFunction<ProjectionStatus> value) {
        Gauge.builder(name, status, s -> s.get(value)).description(description).tags(tags).strongReference(true)
                .register(registry);
    }
}
