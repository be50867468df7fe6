package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import io.opentelemetry.api.trace.Tracer;

/** A projection that applies each event in the trace of the command that appended it. */
final class TracedProjection<T> implements Projection<T> {

    private final Projection<T> delegate;
    private final Tracer tracer;
    private final TraceHeaders headers;

    TracedProjection(Projection<T> delegate, Tracer tracer, TraceHeaders headers) {
        this.delegate = delegate;
        this.tracer = tracer;
        this.headers = headers;
    }

    @Override
    public EventFilter filter() {
        return delegate.filter();
    }

    @Override
    public void apply(ProjectionContext<T> context, RecordedEvent event) throws Exception {
        Consumed.run(tracer, headers, "project " + context.projection(), event, context.projection(), () -> {
            delegate.apply(context, event);
            return null;
        });
    }

    @Override
    public void flush(ProjectionContext<T> context) throws Exception {
        delegate.flush(context);
    }

    @Override
    public void reset(ProjectionContext<T> context) throws Exception {
        delegate.reset(context);
    }

    @Override
    public String toString() {
        return "Traced" + delegate;
    }
}
