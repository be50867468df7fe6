package dev.eventfold.eventstore.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.projection.InMemoryProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.tck.Accounts;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tracing with the SDK's in-memory exporter, over the in-memory store. */
class EventStoreTracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final InMemoryEventStore raw = InMemoryEventStore.create();
    private OpenTelemetrySdk sdk;

    private EventStoreTracing tracing(Sampler sampler) {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        return EventStoreTracing.create(sdk);
    }

    @AfterEach
    void close() {
        raw.close();
        if (sdk != null) {
            sdk.close();
        }
    }

    private SpanData span(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems()));
    }

    /** Records, per event id, the trace id current while the projection applied it. */
    private static final class TraceIds implements Projection<Void> {
        final Map<String, String> seen = new ConcurrentHashMap<>();

        @Override
        public void apply(ProjectionContext<Void> context, RecordedEvent event) {
            seen.put(event.eventId().toString(), Span.current().getSpanContext().getTraceId());
        }
    }

    private ProjectionRunner<Void> project(EventStoreTracing tracing, TraceIds projection, AppendResult last)
            throws InterruptedException {
        ProjectionRunner<Void> runner = ProjectionRunner.builder(raw, new InMemoryProjectionStore(), "order-summary",
                tracing.projection(projection)).listener(tracing.projectionListener()).build();
        runner.start();
        assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(10))).isTrue();
        runner.close();
        return runner;
    }

    @Test
    void a_trace_follows_a_command_through_its_events_to_the_read_model() throws Exception {
        EventStoreTracing tracing = tracing(Sampler.alwaysOn());
        EventStore store = tracing.store(raw);
        Span request = sdk.getTracer("test").spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER)
                .startSpan();
        AppendResult result;
        try (Scope ignored = request.makeCurrent()) {
            result = store.append("order-1", ExpectedVersion.noStream(), List.of(EventData.of("OrderPlaced", "{}"),
                    EventData.of("ItemAdded", "{}")));
        } finally {
            request.end();
        }
        String traceId = request.getSpanContext().getTraceId();
        SpanData append = span("append order");
        assertThat(append.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(append.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(append.getAttributes().get(Attributes.STREAM_ID)).isEqualTo("order-1");
        assertThat(append.getAttributes().get(Attributes.EVENT_COUNT)).isEqualTo(2);
        assertThat(append.getAttributes().get(Attributes.STREAM_VERSION)).isEqualTo(1);

        List<RecordedEvent> stored = raw.readStreamForward("order-1");
        assertThat(stored).allSatisfy(event -> {
            assertThat(event.metadata().headers().get("traceparent"))
                    .startsWith("00-" + traceId + "-" + append.getSpanId() + "-");
            assertThat(tracing.spanContext(event).isSampled()).isTrue();
        });

        TraceIds projection = new TraceIds();
        project(tracing, projection, result);

        assertThat(projection.seen).hasSize(2).allSatisfy((id, seenTrace) -> assertThat(seenTrace).isEqualTo(traceId));
        List<SpanData> applied = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("project order-summary")).toList();
        assertThat(applied).hasSize(2).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(s.getTraceId()).isEqualTo(traceId);
            assertThat(s.getParentSpanId()).isEqualTo(append.getSpanId());
        });
        SpanData batch = span("projection batch order-summary");
        assertThat(batch.getTraceId()).as("a batch is its own trace").isNotEqualTo(traceId);
        assertThat(batch.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsOnly(append.getSpanId());
        assertThat(batch.getAttributes().get(Attributes.EVENT_COUNT)).isEqualTo(2);
    }

    @Test
    void the_trace_id_reaches_the_consumer_also_when_the_command_was_not_sampled() throws Exception {
        EventStoreTracing tracing = tracing(Sampler.parentBased(Sampler.alwaysOff()));
        EventStore store = tracing.store(raw);
        Span request = sdk.getTracer("test").spanBuilder("POST /api/orders").startSpan();
        AppendResult result;
        try (Scope ignored = request.makeCurrent()) {
            result = store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
        } finally {
            request.end();
        }
        String traceId = request.getSpanContext().getTraceId();
        assertThat(request.getSpanContext().isValid()).isTrue();
        assertThat(request.getSpanContext().isSampled()).isFalse();

        RecordedEvent event = raw.readStreamForward("order-1").get(0);
        assertThat(event.metadata().headers().get("traceparent")).startsWith("00-" + traceId + "-");
        assertThat(tracing.spanContext(event).getTraceId()).isEqualTo(traceId);
        assertThat(tracing.spanContext(event).isSampled()).as("written with the sampled flag off").isFalse();
        TraceIds projection = new TraceIds();
        project(tracing, projection, result);

        assertThat(projection.seen.get(event.eventId().toString())).isEqualTo(traceId);
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .doesNotContain("POST /api/orders", "append order", "project order-summary");
    }

    @Test
    void a_subscription_handles_each_event_in_its_trace() throws Exception {
        EventStoreTracing tracing = tracing(Sampler.alwaysOn());
        EventStore store = tracing.store(raw);
        Map<String, String> seen = new ConcurrentHashMap<>();
        Subscription subscription = store.subscribe(LogPosition.START, EventFilter.category("order"),
                event -> seen.put(event.streamId(), Span.current().getSpanContext().getTraceId()));
        try {
            for (String id : List.of("order-1", "order-2")) {
                Span request = sdk.getTracer("test").spanBuilder("command " + id).startSpan();
                try (Scope ignored = request.makeCurrent()) {
                    store.append(id, ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
                } finally {
                    request.end();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        } finally {
            subscription.close();
        }
        assertThat(seen.get("order-1")).isEqualTo(span("command order-1").getTraceId());
        assertThat(seen.get("order-2")).isEqualTo(span("command order-2").getTraceId());
        assertThat(span("handle order").getKind()).isEqualTo(SpanKind.CONSUMER);
    }

    @Test
    void an_exact_retry_from_another_trace_gets_the_original_result_and_a_changed_one_is_still_a_duplicate() {
        EventStoreTracing tracing = tracing(Sampler.alwaysOn());
        EventStore store = tracing.store(raw);
        List<EventData> batch = List.of(EventData.of("OrderPlaced", "{\"total\":1}"), EventData.of("ItemAdded", "{}"));
        AppendResult original = Traces.inNewTrace(sdk, () -> store.append("order-1", ExpectedVersion.noStream(),
                batch));

        AppendResult retried = Traces.inNewTrace(sdk, () -> store.append("order-1", ExpectedVersion.noStream(),
                batch));

        assertThat(retried).isEqualTo(original);
        assertThat(raw.readAll(LogPosition.START)).hasSize(2);
        assertThat(exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("append order"))
                .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(Attributes.RETRY_OF_TRACED_APPEND))))
                .hasSize(1);
        List<EventData> changed = List.of(batch.get(0), EventData.of(batch.get(1).eventId(), "ItemAdded",
                "{\"sku\":\"other\"}"));
        assertThatThrownBy(() -> Traces.inNewTrace(sdk, () -> store.append("order-1", ExpectedVersion.noStream(),
                changed)))
                .isInstanceOf(DuplicateEventException.class)
                .extracting(e -> ((DuplicateEventException) e).reason())
                .isEqualTo(DuplicateEventException.Reason.DIFFERENT_CONTENT);
    }

    @Test
    void events_that_carry_a_trace_context_keep_it() {
        EventStoreTracing tracing = tracing(Sampler.alwaysOn());
        String upstream = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        EventData forwarded = EventData.of("OrderImported", "{}");
        forwarded = forwarded.withMetadata(forwarded.metadata().withHeader("traceparent", upstream));

        tracing.store(raw).append("order-1", ExpectedVersion.noStream(), forwarded);

        assertThat(raw.readStreamForward("order-1").get(0).metadata().headers()).containsEntry("traceparent",
                upstream);
    }

    @Test
    void a_load_is_a_span_of_the_command_that_needed_it() {
        EventStoreTracing tracing = tracing(Sampler.alwaysOn());
        AggregateRepository<Accounts.Command, Accounts.Account, Accounts.Event> accounts = AggregateRepository
                .builder(tracing.store(raw), Accounts.DECIDER, Accounts.EVENT_TYPES).category("account")
                .listener(tracing.aggregateListener()).build();
        Span request = sdk.getTracer("test").spanBuilder("POST /accounts").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            accounts.handle("a1", new Accounts.Open("ada"));
        } finally {
            request.end();
            accounts.close();
        }

        SpanData load = span("load account");
        assertThat(load.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(load.getAttributes().get(Attributes.EVENTS_REPLAYED)).isZero();
        assertThat(load.getEndEpochNanos()).isGreaterThanOrEqualTo(load.getStartEpochNanos());
        assertThat(span("append account").getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    }
}
