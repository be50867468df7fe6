package dev.eventfold.eventstore.opentelemetry;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.Metadata;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trace context into event metadata headers and reads it back, with the application's propagator (W3C
 * {@code traceparent} and {@code tracestate} by default). The context is written whether or not its span is sampled,
 * so the trace id follows the event even when nothing is recorded.
 */
final class TraceHeaders {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final TextMapPropagator propagator;

    TraceHeaders(TextMapPropagator propagator) {
        this.propagator = propagator;
    }

    /** @return whether the metadata carries any header the propagator writes */
    boolean carries(Metadata metadata) {
        for (String field : propagator.fields()) {
            if (metadata.headers().containsKey(field)) {
                return true;
            }
        }
        return false;
    }

    /** @return the events with the context's headers added to each that carries none yet (the same list if none) */
    List<EventData> inject(List<EventData> events, Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        propagator.inject(context, headers, (carrier, key, value) -> carrier.put(key, value));
        if (headers.isEmpty()) {
            return events;
        }
        List<EventData> traced = null;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            if (event == null || carries(event.metadata())) {
                continue;
            }
            if (traced == null) {
                traced = new ArrayList<>(events);
            }
            Metadata metadata = event.metadata();
            for (Map.Entry<String, String> header : headers.entrySet()) {
                metadata = metadata.withHeader(header.getKey(), header.getValue());
            }
            traced.set(i, event.withMetadata(metadata));
        }
        return traced == null ? events : traced;
    }

    /** @return the original metadata with the propagator's headers of {@code stored} (and only those) */
    Metadata withHeadersOf(Metadata original, Metadata stored) {
        Metadata merged = original;
        for (String field : propagator.fields()) {
            String value = stored.headers().get(field);
            if (value != null) {
                merged = merged.withHeader(field, value);
            }
        }
        return merged;
    }

    /** @return the context written into the metadata, on top of root; root if it carries none */
    Context extract(Metadata metadata) {
        return propagator.extract(Context.root(), metadata.headers(), GETTER);
    }
}
