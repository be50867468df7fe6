package dev.eventfold.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

/**
 * The Prometheus metrics, with the seed's names, served on {@code METRICS_PORT} at {@code /metrics}. Route labels are
 * the route templates ({@code /api/orders/{id}}), never raw paths.
 */
final class Metrics implements AutoCloseable {

    private static final String STARTED = "metrics.started";

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private Javalin server;

    Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Times order loads: {@code order_reconstruction_duration_seconds}. */
    AggregateListener aggregateListener() {
        Timer reconstruction = Timer.builder("order.reconstruction.duration")
                .description("Time to rebuild an order from its snapshot and events").publishPercentileHistogram()
                .register(registry);
        return new AggregateListener() {
            @Override
            public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
                reconstruction.record(took);
            }
        };
    }

    void bind(HikariDataSource pool, PostgresEventStore store, ProjectionRunner<Connection> summaries) {
        Gauge.builder("database.connection.pool.active", pool, p -> p.getHikariPoolMXBean() == null ? 0
                : p.getHikariPoolMXBean().getActiveConnections()).description("Connections in use")
                .register(registry);
        Gauge.builder("database.connection.pool.idle", pool, p -> p.getHikariPoolMXBean() == null ? 0
                : p.getHikariPoolMXBean().getIdleConnections()).register(registry);
        FunctionCounter.builder("events.processed", summaries, ProjectionRunner::eventsProcessed)
                .description("Events applied by the read-model runners of this replica").tag("projection",
                        summaries.name()).register(registry);
        Gauge.builder("projection.lag.events", summaries, r -> r.status().lagEvents())
                .description("Events the read model has still to apply").tag("projection", summaries.name())
                .register(registry);
        Gauge.builder("eventstore.reader.horizon.events.held.back", store, s -> s.readerHorizon().eventsHeldBack())
                .description("Committed events readers cannot see yet because of an older open transaction "
                        + "(docs/adr/0002-gap-safety.md)").register(registry);
        Gauge.builder("eventstore.reader.horizon.lag.seconds", store, s -> s.readerHorizon().lag(Instant.now())
                .toMillis() / 1000.0).register(registry);
    }

    void bindRedis(Redis redis) {
        Gauge.builder("redis.connections.active", redis, Redis::connectionsActive)
                .description("Open Redis connections (0 in in-process mode)").register(registry);
        FunctionCounter.builder("redis.fallbacks", redis, Redis::fallbacks)
                .description("Requests served with the per-replica fallback because Redis was unreachable")
                .register(registry);
    }

    void before(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    void after(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        String status = Integer.toString(ctx.statusCode());
        Timer.builder("http.request.duration").description("HTTP request latency").tag("method", ctx.method().name())
                .tag("route", route).tag("status", status).publishPercentileHistogram().register(registry)
                .record(Duration.ofNanos(System.nanoTime() - started));
        Counter.builder("http.requests").tag("method", ctx.method().name()).tag("route", route).tag("status", status)
                .register(registry).increment();
    }

    int start(int port) {
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
        }).start("0.0.0.0", port);
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        gc.close();
        registry.close();
    }
}
