package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ForwardingEventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link EventStore} that traces appends and carries their trace context in the events' metadata, and restores
 * that context around each event a subscription delivers. Reads are passed through untraced (a caught-up reader polls;
 * aggregate loads are traced by {@link EventStoreTracing#aggregateListener()}).
 */
final class TracingEventStore extends ForwardingEventStore {

    private final Tracer tracer;
    private final TraceHeaders headers;
    private final EventStoreTracing tracing;

    TracingEventStore(EventStore delegate, Tracer tracer, TraceHeaders headers, EventStoreTracing tracing) {
        super(delegate);
        this.tracer = tracer;
        this.headers = headers;
        this.tracing = tracing;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        if (events == null || events.isEmpty() || streamId == null) {
            return delegate().append(streamId, expected, events); // the store's own error, nothing to trace
        }
        Span span = tracer.spanBuilder("append " + Category.of(streamId)).setSpanKind(SpanKind.PRODUCER)
                .setAttribute(Attributes.STREAM_ID, streamId).setAttribute(Attributes.CATEGORY, Category.of(streamId))
                .setAttribute(Attributes.EVENT_COUNT, events.size())
                .setAttribute(Attributes.EXPECTED_VERSION, String.valueOf(expected)).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            List<EventData> traced = headers.inject(events, Context.current());
            AppendResult result;
            try {
                result = delegate().append(streamId, expected, traced);
            } catch (DuplicateEventException e) {
                result = retryWithStoredContext(streamId, expected, events, traced, e).orElseThrow(() -> e);
                span.setAttribute(Attributes.RETRY_OF_TRACED_APPEND, true);
            }
            span.setAttribute(Attributes.STREAM_VERSION, result.nextExpectedVersion());
            span.setAttribute(Attributes.TRANSACTION_ID, result.transactionId());
            return result;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * An exact retry of a traced append (same event ids, content and place) comes from another trace, so the headers
     * this store added differ from the stored ones and the store calls it a duplicate. Retried with the stored trace
     * headers it is answered with the original result; with any other difference the store refuses it again.
     */
    private Optional<AppendResult> retryWithStoredContext(String streamId, ExpectedVersion expected,
            List<EventData> events, List<EventData> traced, DuplicateEventException e) {
        if (e.reason() != DuplicateEventException.Reason.DIFFERENT_CONTENT || traced == events) {
            return Optional.empty();
        }
        Map<UUID, RecordedEvent> stored = storedAround(e, events.size());
        List<EventData> original = new ArrayList<>(events.size());
        for (EventData event : events) {
            RecordedEvent match = stored.get(event.eventId());
            if (match == null) {
                return Optional.empty();
            }
            original.add(event.withMetadata(headers.carries(event.metadata()) ? event.metadata()
                    : headers.withHeadersOf(event.metadata(), match.metadata())));
        }
        return Optional.of(delegate().append(streamId, expected, original));
    }

    /** Passes events through unchanged, so the store's own (one-query) fold is kept. */
    @Override
    public void foldStream(String streamId, long fromVersion,
            java.util.function.Predicate<dev.eventfold.eventstore.StreamEvent> each) {
        delegate().foldStream(streamId, fromVersion, each);
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        return delegate().subscribe(after, filter, handler == null ? null : tracing.handler(handler));
    }
}
