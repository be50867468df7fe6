package dev.eventfold.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.micrometer.EventStoreMetrics;
import dev.eventfold.eventstore.micrometer.ReaderHorizonMetrics;
import dev.eventfold.eventstore.micrometer.ReplicaMetrics;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.server.config.ServerConfig;
import dev.eventfold.server.health.DependencyHealth;
import dev.eventfold.server.health.HealthChecks;
import dev.eventfold.server.readmodel.ReadModelSource;
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
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The Prometheus metrics with the seed's names and labels, served on {@code METRICS_PORT} at {@code metrics.path};
 * {@code docs/metrics.md} describes each. Route labels are route templates ({@code /api/orders/{id}}), never raw paths
 * or order ids. What is collected follows {@code metrics.collect}.
 */
public final class ServerMetrics implements AutoCloseable {

    private static final Duration[] HTTP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofMillis(700), Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServerConfig.Metrics settings;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final EventStoreMetrics library;
    private Javalin server;

    /**
     * @param settings what to collect and where to serve it
     * @param alerts the alert thresholds, exported as {@code alert_threshold{metric,severity}}
     */
    public ServerMetrics(ServerConfig.Metrics settings, ServerConfig.Alerts alerts) {
        this.settings = settings;
        registry.config().meterFilter(new SeedMeterNames());
        this.library = EventStoreMetrics.of(registry);
        if (settings.defaultMetrics()) {
            new JvmMemoryMetrics().bindTo(registry);
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }
        if (alerts.enabled()) {
            threshold("responseTime", "warning", alerts.responseTimeWarningMs() / 1000.0);
            threshold("responseTime", "critical", alerts.responseTimeCriticalMs() / 1000.0);
            threshold("errorRate", "warning", alerts.errorRateWarning());
            threshold("errorRate", "critical", alerts.errorRateCritical());
            threshold("memoryUsage", "warning", alerts.memoryUsageWarning());
            threshold("memoryUsage", "critical", alerts.memoryUsageCritical());
            threshold("cpuUsage", "warning", alerts.cpuUsageWarning());
            threshold("cpuUsage", "critical", alerts.cpuUsageCritical());
        }
    }

    private void threshold(String metric, String severity, double value) {
        Gauge.builder("alert.threshold", () -> value).description("The alert thresholds of monitoring-config.json "
                + "(responseTime in seconds, the others as fractions)").tag("metric", metric).tag("severity", severity)
                .register(registry);
    }

    /**
     * @return the store's append listener: {@code eventstore_append_duration_seconds} by category and outcome, events
     *     and payload bytes per append (event-sourcing metrics)
     */
    public AppendListener appendListener() {
        return settings.eventSourcingMetrics() ? library.appends() : AppendListener.NONE;
    }

    /**
     * @return the order repository's listener: {@code order_reconstruction_duration_seconds}, events folded, cache,
     *     snapshots and conflicts (event-sourcing metrics)
     */
    public AggregateListener aggregateListener() {
        return settings.eventSourcingMetrics() ? library.loads("order") : new AggregateListener() {
        };
    }

    /**
     * @return the read-model runner's listener: {@code events_processed_total{event_type,status}},
     *     {@code event_processing_duration_seconds{event_type}}, batches and dead letters (event-sourcing metrics)
     */
    public ProjectionListener projectionListener() {
        return settings.eventSourcingMetrics() ? library.projections() : ProjectionListener.NONE;
    }

    /**
     * Binds the pool, and with event-sourcing metrics the store's reader horizon and the runner's lag.
     *
     * @param pool the connection pool
     * @param store the event store
     * @param runner the read-model runner
     */
    public void bind(HikariDataSource pool, PostgresEventStore store, ProjectionRunner<?> runner) {
        Gauge.builder("database.connection.pool.active", pool, p -> p.getHikariPoolMXBean() == null ? 0
                : p.getHikariPoolMXBean().getActiveConnections()).description("Connections in use")
                .register(registry);
        Gauge.builder("database.connection.pool.idle", pool, p -> p.getHikariPoolMXBean() == null ? 0
                : p.getHikariPoolMXBean().getIdleConnections()).register(registry);
        Gauge.builder("database.connection.pool.pending", pool, p -> p.getHikariPoolMXBean() == null ? 0
                : p.getHikariPoolMXBean().getThreadsAwaitingConnection()).description("Requests waiting for a "
                        + "connection").register(registry);
        if (settings.eventSourcingMetrics()) {
            library.bindLag(runner);
            ReaderHorizonMetrics.bind(store, registry);
            ReplicaMetrics.bind(store, registry);
        }
    }

    /**
     * With a read replica, {@code readmodel_queries_total{answered}} ({@code replica}, {@code primary}): where
     * read-model queries (lists, history, sales) were answered.
     *
     * @param source where read-model queries go
     */
    public void bindReadModelSource(ReadModelSource source) {
        if (!source.hasReplica()) {
            return;
        }
        FunctionCounter.builder("readmodel.queries", source, ReadModelSource::answeredByReplica)
                .description("Read-model queries, by who answered").tag("answered", "replica").register(registry);
        FunctionCounter.builder("readmodel.queries", source, ReadModelSource::answeredByPrimary)
                .description("Read-model queries, by who answered").tag("answered", "primary").register(registry);
    }

    /**
     * @param connections open Redis connections
     * @param fallbacks requests served by the per-replica fallback
     */
    public void bindRedis(IntSupplier connections, LongSupplier fallbacks) {
        Gauge.builder("redis.connections.active", connections::getAsInt)
                .description("Open Redis connections (0 in in-process mode)").register(registry);
        FunctionCounter.builder("redis.fallbacks", fallbacks, LongSupplier::getAsLong)
                .description("Requests served with the per-replica fallback because Redis was unreachable")
                .register(registry);
    }

    /** @param checks the dependency checks, exported as {@code health_dependency_up{dependency}} (1, 0) */
    public void bindHealth(HealthChecks checks) {
        for (String dependency : List.of("database", "redis", "eventStore")) {
            Gauge.builder("health.dependency.up", checks, c -> {
                DependencyHealth last = c.lastKnown(dependency);
                return last == null ? Double.NaN : last.healthy() ? 1 : 0;
            }).description("Whether the dependency answered its last health check").tag("dependency", dependency)
                    .register(registry);
        }
    }

    /**
     * Counts an order command: {@code order_commands_total{command,outcome}} (business metrics).
     *
     * @param command {@code create}, {@code confirm}, {@code pay}, ...
     * @param outcome {@code success} or the HTTP status class of the refusal ({@code 4xx}, {@code 5xx})
     */
    public void command(String command, String outcome) {
        if (settings.businessMetrics()) {
            Counter.builder("order.commands").description("Order commands by outcome").tag("command", command)
                    .tag("outcome", outcome).register(registry).increment();
        }
    }

    /**
     * Counts an administrative action (forget, tombstone): {@code admin_actions_total{action,outcome}}.
     *
     * @param action the audit trail's action name, e.g. {@code personal-data.forget}
     * @param outcome {@code done} or the HTTP status of the refusal ({@code 404}, {@code 409})
     */
    public void adminAction(String action, String outcome) {
        Counter.builder("admin.actions").description("Audited administrative actions by outcome")
                .tag("action", action).tag("outcome", outcome).register(registry).increment();
    }

    /**
     * Records a handled request: {@code http_request_duration_seconds}, {@code http_requests_total}.
     *
     * @param ctx the request
     * @param started {@link System#nanoTime()} when it arrived, or null when the filters never saw it
     */
    public void after(Context ctx, Long started) {
        if (started == null || !settings.httpMetrics()) {
            return;
        }
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        String status = Integer.toString(ctx.statusCode());
        String method = ctx.method().name();
        Timer.builder("http.request.duration").description("HTTP request latency").tag("method", method)
                .tag("route", route).tag("status_code", status).serviceLevelObjectives(HTTP_BUCKETS)
                .register(registry).record(Duration.ofNanos(System.nanoTime() - started));
        Counter.builder("http.requests").description("HTTP requests").tag("method", method).tag("route", route)
                .tag("status_code", status).register(registry).increment();
    }

    /** @return the Prometheus text of every meter */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * Serves the metrics.
     *
     * @param host the bind address
     * @return the port bound
     */
    public int start(String host) {
        server = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get(settings.path(), ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(registry.scrape()));
        }).start(host, settings.port());
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
