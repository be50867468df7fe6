package dev.eventfold.server.tracing;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.opentelemetry.EventStoreTracing;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.server.config.ServerConfig;
import io.javalin.http.Context;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Distributed tracing, by the seed's {@code tracing.enabled}, {@code serviceName} and {@code endpoint}: spans go over
 * OTLP/HTTP (protobuf) to {@code <endpoint>/v1/traces}, e.g. an OpenTelemetry Collector or Jaeger on port 4318. A
 * {@code SERVER} span per request continues a W3C {@code traceparent} the client sends; the event store's spans
 * ({@code eventstore-opentelemetry}) hang below it, the events carry its context, and the read models apply them in
 * the same trace. While a request is handled its log lines carry {@code trace_id} and {@code span_id}.
 *
 * <p>Disabled, everything here is a no-op and the store is used as it is.
 */
public final class ServerTracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTracing.class);
    private static final String SPAN = "tracing.span";
    private static final String SCOPE = "tracing.scope";
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context carrier) {
            return carrier.headerMap().keySet();
        }

        @Override
        public String get(Context carrier, String key) {
            return carrier == null ? null : carrier.header(key);
        }
    };

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final EventStoreTracing library;

    private ServerTracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk == null ? null : sdk.getTracer("dev.eventfold.server");
        this.library = sdk == null ? null : EventStoreTracing.create(sdk);
    }

    /**
     * @param config the seed's tracing block
     * @param version the service version ({@code service.version})
     * @param environment the deployment environment
     * @return tracing, exporting when enabled
     */
    public static ServerTracing of(ServerConfig.Tracing config, String version, String environment) {
        if (!config.enabled()) {
            return new ServerTracing(null);
        }
        URI traces = tracesEndpoint(config.endpoint());
        Resource resource = Resource.getDefault().toBuilder().put("service.name", config.serviceName())
                .put("service.version", version).put("deployment.environment.name", environment).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setResource(resource)
                        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(traces.toString()).build()).build()).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        LOG.info("tracing on: spans of service {} go over OTLP/HTTP to {}", config.serviceName(), traces);
        return new ServerTracing(sdk);
    }

    /** @return the OTLP/HTTP traces URL for the seed's endpoint: as given if it names {@code /v1/traces} */
    static URI tracesEndpoint(URI endpoint) {
        String path = endpoint.getPath() == null ? "" : endpoint.getPath();
        if (path.endsWith("/v1/traces")) {
            return endpoint;
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/v1/traces");
    }

    /** @return whether spans are exported */
    public boolean enabled() {
        return sdk != null;
    }

    /**
     * @param store the store
     * @return the store, traced when tracing is on
     */
    public EventStore store(EventStore store) {
        return enabled() ? library.store(store) : store;
    }

    /**
     * @param projection a projection
     * @param <T> its transaction type
     * @return the projection, applying each event in its command's trace when tracing is on
     */
    public <T> Projection<T> projection(Projection<T> projection) {
        return enabled() ? library.projection(projection) : projection;
    }

    /**
     * @param metrics the metrics listener
     * @return it, with load spans when tracing is on
     */
    public AggregateListener aggregateListener(AggregateListener metrics) {
        return enabled() ? AggregateListener.all(metrics, library.aggregateListener()) : metrics;
    }

    /**
     * @param metrics the metrics listener
     * @return it, with batch spans when tracing is on
     */
    public ProjectionListener projectionListener(ProjectionListener metrics) {
        return enabled() ? ProjectionListener.all(metrics, library.projectionListener()) : metrics;
    }

    /** @param ctx a request: starts its span, makes it current and puts its ids in the logs' MDC */
    public void before(Context ctx) {
        if (!enabled()) {
            return;
        }
        io.opentelemetry.context.Context parent = sdk.getPropagators().getTextMapPropagator()
                .extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
        Span span = tracer.spanBuilder(ctx.method().name()).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, ctx.method().name()).setAttribute(PATH, ctx.path()).startSpan();
        ctx.attribute(SPAN, span);
        ctx.attribute(SCOPE, span.makeCurrent());
        SpanContext ids = span.getSpanContext();
        MDC.put("trace_id", ids.getTraceId());
        MDC.put("span_id", ids.getSpanId());
    }

    /** @param ctx a handled request: ends its span with the route and status */
    public void after(Context ctx) {
        Span span = ctx.attribute(SPAN);
        if (span == null) {
            return;
        }
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? null : endpoint.path;
        if (route != null) {
            span.updateName(ctx.method().name() + " " + route);
            span.setAttribute(ROUTE, route);
        }
        int status = ctx.statusCode();
        span.setAttribute(STATUS, status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        Scope scope = ctx.attribute(SCOPE);
        if (scope != null && Span.current() == span) {
            scope.close();
        }
        MDC.remove("trace_id");
        MDC.remove("span_id");
    }

    /** Sends the spans still buffered (up to 5 s) and stops the exporter. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
