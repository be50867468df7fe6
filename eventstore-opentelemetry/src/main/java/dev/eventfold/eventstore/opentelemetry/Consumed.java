package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.RecordedEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/** Runs the handling of one consumed event in a {@code CONSUMER} span, child of the context its metadata carries. */
final class Consumed {

    private Consumed() {
    }

    /** Work that may throw anything a handler or projection throws. */
    @FunctionalInterface
    interface Work<R> {
        R run() throws Exception;
    }

    static <R> R run(Tracer tracer, TraceHeaders headers, String name, RecordedEvent event, String projection,
            Work<R> work) throws Exception {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
                .setParent(headers.extract(event.metadata()))
                .setAttribute(Attributes.STREAM_ID, event.streamId())
                .setAttribute(Attributes.EVENT_ID, event.eventId().toString())
                .setAttribute(Attributes.EVENT_TYPE, event.type())
                .setAttribute(Attributes.STREAM_VERSION, event.streamVersion())
                .setAttribute(Attributes.GLOBAL_POSITION, event.globalPosition());
        if (projection != null) {
            builder.setAttribute(Attributes.PROJECTION, projection);
        }
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.run();
        } catch (Exception e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
