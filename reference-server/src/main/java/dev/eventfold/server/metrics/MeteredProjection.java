package dev.eventfold.server.metrics;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * A projection that counts and times each event it applies: {@code events_processed_total{event_type,status}} with
 * status {@code success} or {@code failure}, and {@code event_processing_duration_seconds{event_type}} (the seed's
 * "under 100 ms per event, alert above 300 ms"). Counts are attempts: an event the runner re-applies after a failed
 * batch is counted again.
 */
final class MeteredProjection<T> implements Projection<T> {

    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final Projection<T> delegate;
    private final MeterRegistry registry;

    MeteredProjection(Projection<T> delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public EventFilter filter() {
        return delegate.filter();
    }

    @Override
    public void apply(ProjectionContext<T> context, RecordedEvent event) throws Exception {
        long started = System.nanoTime();
        String status = "failure";
        try {
            delegate.apply(context, event);
            status = "success";
        } finally {
            Timer.builder("event.processing.duration").description("Time to apply one event to the read models")
                    .tag("event_type", event.type()).serviceLevelObjectives(BUCKETS).register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - started));
            Counter.builder("events.processed").description("Events applied to the read models, by outcome")
                    .tag("event_type", event.type()).tag("status", status).register(registry).increment();
        }
    }

    @Override
    public void flush(ProjectionContext<T> context) throws Exception {
        delegate.flush(context);
    }

    @Override
    public void reset(ProjectionContext<T> context) throws Exception {
        delegate.reset(context);
    }
}
