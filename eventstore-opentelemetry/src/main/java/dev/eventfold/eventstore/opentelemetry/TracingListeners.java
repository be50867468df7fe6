package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.projection.ProjectionListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Spans made from the library's listener hooks, which run after the work: each span starts {@code took} before the
 * hook and ends at it.
 */
final class TracingListeners {

    /** The most events of a batch its span links to. */
    static final int MAX_LINKS = 64;

    private TracingListeners() {
    }

    /** A span per aggregate load, child of the loading thread's current span. */
    static final class Loads implements AggregateListener {
        private final Tracer tracer;

        Loads(Tracer tracer) {
            this.tracer = tracer;
        }

        @Override
        public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
            Instant end = Instant.now();
            tracer.spanBuilder("load " + Category.of(streamId)).setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(end.minus(took)).setAttribute(Attributes.STREAM_ID, streamId)
                    .setAttribute(Attributes.EVENTS_REPLAYED, eventsReplayed)
                    .setAttribute(Attributes.FROM_SNAPSHOT, fromSnapshot).startSpan().end(end);
        }

        @Override
        public void snapshotFailed(String streamId, long version, Throwable error) {
            Span span = tracer.spanBuilder("snapshot " + Category.of(streamId)).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(Attributes.STREAM_ID, streamId).setAttribute(Attributes.STREAM_VERSION, version)
                    .startSpan();
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
            span.end();
        }
    }

    /** A root span per committed projection batch, linked to the traces of (up to 64 of) its events. */
    static final class Batches implements ProjectionListener {
        private final Tracer tracer;
        private final TraceHeaders headers;

        Batches(Tracer tracer, TraceHeaders headers) {
            this.tracer = tracer;
            this.headers = headers;
        }

        @Override
        public void batchCommitted(String projection, int version, List<RecordedEvent> events, Duration took) {
            Instant end = Instant.now();
            SpanBuilder builder = tracer.spanBuilder("projection batch " + projection).setNoParent()
                    .setSpanKind(SpanKind.INTERNAL).setStartTimestamp(end.minus(took))
                    .setAttribute(Attributes.PROJECTION, projection)
                    .setAttribute(Attributes.PROJECTION_VERSION, version)
                    .setAttribute(Attributes.EVENT_COUNT, events.size());
            int linked = 0;
            for (RecordedEvent event : events) {
                SpanContext origin = Span.fromContext(headers.extract(event.metadata())).getSpanContext();
                if (origin.isValid() && linked++ < MAX_LINKS) {
                    builder.addLink(origin);
                }
            }
            builder.startSpan().end(end);
        }

        @Override
        public void deadLettered(String projection, int version, RecordedEvent event, String error) {
            Span span = tracer.spanBuilder("dead letter " + projection).setSpanKind(SpanKind.INTERNAL)
                    .setParent(headers.extract(event.metadata())).setAttribute(Attributes.PROJECTION, projection)
                    .setAttribute(Attributes.PROJECTION_VERSION, version)
                    .setAttribute(Attributes.EVENT_ID, event.eventId().toString())
                    .setAttribute(Attributes.EVENT_TYPE, event.type()).startSpan();
            span.setStatus(StatusCode.ERROR, "dead-lettered");
            span.end();
        }
    }
}
