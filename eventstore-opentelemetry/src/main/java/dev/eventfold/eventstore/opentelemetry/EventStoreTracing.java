package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * OpenTelemetry tracing for the event store, with the application's {@link OpenTelemetry} (its tracer provider,
 * sampler, exporter and propagators):
 *
 * <pre>{@code
 * EventStoreTracing tracing = EventStoreTracing.create(openTelemetry);
 * EventStore store = tracing.store(postgresStore);              // append spans; trace context into metadata
 * AggregateRepository<...> orders = AggregateRepository.builder(store, ...)
 *         .listener(tracing.aggregateListener()).build();        // load spans
 * ProjectionRunner<?> runner = ProjectionRunner.builder(postgresStore, projections, "order-summary",
 *         tracing.projection(projection))                        // each event applied in its command's trace
 *         .listener(tracing.projectionListener()).build();       // one span per committed batch
 * }</pre>
 *
 * <h2>What follows a command to its read model</h2>
 * An append runs in a {@code PRODUCER} span, child of the caller's current span, and writes that span's context into
 * each event's metadata headers ({@code traceparent}, {@code tracestate} with the W3C propagator) unless the event
 * carries one already. The context is written also when the span is not sampled: the trace id then still reaches the
 * consumers (and their logs), and a consumer whose sampler decides by itself can record its part. Where events are
 * consumed, {@link #projection} and {@link #handler} apply each event in a {@code CONSUMER} span whose parent is the
 * context read back from its metadata, made current while the event is handled.
 *
 * <h2>Idempotent retries</h2>
 * An exact retry of an append from another trace would differ from the stored events by its trace headers only; the
 * traced store then retries it with the stored headers, so it is still answered with the original result (the span
 * says {@code eventstore.retry_of_traced_append}). Any other difference is still a {@code DuplicateEventException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class EventStoreTracing {

    /** The instrumentation scope of every span of this module. */
    public static final String INSTRUMENTATION_NAME = "dev.eventfold.eventstore";

    private final Tracer tracer;
    private final TraceHeaders headers;

    private EventStoreTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.headers = new TraceHeaders(openTelemetry.getPropagators().getTextMapPropagator());
    }

    /**
     * @param openTelemetry the application's OpenTelemetry
     * @return tracing with its tracer and propagator
     * @throws InvalidRequestException if null
     */
    public static EventStoreTracing create(OpenTelemetry openTelemetry) {
        if (openTelemetry == null) {
            throw new InvalidRequestException("openTelemetry must not be null");
        }
        return new EventStoreTracing(openTelemetry);
    }

    /**
     * @param store the store to trace
     * @return a store that traces appends, writes their trace context into the events' metadata and traces each event
     *     its subscriptions deliver; it does not implement the store's administration or vendor methods (call those
     *     on {@code store})
     * @throws InvalidRequestException if null
     */
    public EventStore store(EventStore store) {
        if (store == null) {
            throw new InvalidRequestException("store must not be null");
        }
        return new TracingEventStore(store, tracer, headers, this);
    }

    /**
     * @param projection a projection
     * @param <T> its transaction type
     * @return the projection, applying each event in a {@code CONSUMER} span in the trace of the command that appended
     *     it
     * @throws InvalidRequestException if null
     */
    public <T> Projection<T> projection(Projection<T> projection) {
        if (projection == null) {
            throw new InvalidRequestException("projection must not be null");
        }
        return new TracedProjection<>(projection, tracer, headers);
    }

    /**
     * @param handler a subscription's handler
     * @return the handler, handling each event in a {@code CONSUMER} span in the trace of the command that appended it
     * @throws InvalidRequestException if null
     */
    public EventHandler handler(EventHandler handler) {
        if (handler == null) {
            throw new InvalidRequestException("handler must not be null");
        }
        return event -> Consumed.run(tracer, headers, "handle " + event.category(), event, null, () -> {
            handler.handle(event);
            return null;
        });
    }

    /** @return a listener for aggregate repositories: a span per load, child of the caller's current span */
    public AggregateListener aggregateListener() {
        return new TracingListeners.Loads(tracer);
    }

    /** @return a listener for projection runners: a span per committed batch, linked to its events' traces */
    public ProjectionListener projectionListener() {
        return new TracingListeners.Batches(tracer, headers);
    }

    /**
     * @param event an event
     * @return the span context its metadata carries (invalid if none): e.g. to link a span to it
     */
    public SpanContext spanContext(RecordedEvent event) {
        return Span.fromContext(context(event.metadata())).getSpanContext();
    }

    /**
     * @param metadata an event's metadata
     * @return the context its headers carry, on top of the root context
     */
    public Context context(Metadata metadata) {
        return headers.extract(metadata);
    }
}
