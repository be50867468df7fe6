package dev.eventfold.server;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.postgres.PostgresSnapshotStore;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.orders.InvalidOrderData;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderRuleViolation;
import dev.eventfold.orders.Orders;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The reference server, wired in one place: database, event store, order repository, read-model runner, routes,
 * error mapping, health and lifecycle.
 */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    private static final String CALLER = "caller";
    private static final String CORRELATION = "correlationId";

    private final ServerConfig config;
    private final Database database;
    private final PostgresEventStore store;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final ProjectionRunner<Connection> summaries;
    private final Tokens tokens;
    private final Metrics metrics = new Metrics();
    private final Redis redis;
    private final Javalin app;
    private LiveEvents live;
    private int metricsPort;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Instant startedAt = Instant.now();
    private final java.util.concurrent.ExecutorService probe = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "db-probe");
        thread.setDaemon(true);
        return thread;
    });
    private Map<String, Object> lastCheck;
    private long lastCheckAt;

    private Server(ServerConfig config) {
        this.config = config;
        this.database = Database.open(config);
        this.redis = new Redis(config);
        try {
            if (config.embedded()) {
                Migrations.run(database.pool(), config.schema());
            }
            ServerConfig.Tuning tuning = config.tuning();
            this.store = PostgresEventStore.builder(database.pool()).schema(config.schema())
                    .limits(dev.eventfold.eventstore.EventStoreLimits.builder()
                            .maxEventsPerRead(tuning.maxEventsPerRead()).build())
                    .pageSize(Math.min(500, tuning.maxEventsPerRead())).build();
            this.orders = AggregateRepository.builder(store, Orders.DECIDER, Orders.EVENT_TYPES)
                    .category(Orders.CATEGORY)
                    .snapshots(PostgresSnapshotStore.create(database.pool(), config.schema()), Orders.STATE_CODEC,
                            new SnapshotPolicy(tuning.snapshotFrequency()))
                    .maxAttempts(tuning.commandMaxAttempts())
                    .cache(10_000).listener(metrics.aggregateListener()).build();
            this.summaries = ProjectionRunner.builder(store, PostgresProjectionStore.create(database.pool(),
                    config.schema()), OrderSummariesProjection.NAME, new OrderSummariesProjection(config.schema()))
                    .batchSize(tuning.eventBatchSize()).build();
            this.tokens = new Tokens(Tokens.secret(config), config.jwtExpiry(), Clock.systemUTC());
            metrics.bind(database.pool(), store, summaries);
            this.live = new LiveEvents(store, orders, tokens, redis);
            // Microsecond ticks: PostgreSQL keeps microseconds, so the read models show the same times as the events.
            this.app = routes(new OrderApi(orders, store, database.pool(), config.schema(),
                    Currency.getInstance("EUR"), Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)), summaries));
            metrics.bindRedis(redis);
        } catch (RuntimeException e) {
            redis.close();
            database.close();
            throw e;
        }
    }

    /**
     * Starts a server.
     *
     * @param config the configuration
     * @return the running server
     */
    public static Server start(ServerConfig config) {
        Server server = new Server(config);
        server.summaries.start();
        server.metricsPort = config.tuning().metricsEnabled() ? server.metrics.start(config.metricsPort()) : -1;
        server.app.start("0.0.0.0", config.port());
        server.ready.set(true);
        LOG.info("reference-server {} listening on port {} ({})", config.appVersion(), server.port(),
                config.embedded() ? "embedded PostgreSQL, single-node dev mode" : "PostgreSQL " + config.dbHost());
        return server;
    }

    /** @return the HTTP port */
    public int port() {
        return app.port();
    }

    /** @return the runner of the order read models (for tests and admin tasks) */
    ProjectionRunner<Connection> readModels() {
        return summaries;
    }

    /** @return the metrics port */
    public int metricsPort() {
        return metricsPort;
    }

    /** @return a token for a subject and role, signed with this server's secret */
    String token(String subject, Tokens.Role role) {
        return tokens.issue(subject, role);
    }

    /** Graceful stop: readiness false, in-flight requests finish, the runner stops at a checkpoint, pools close. */
    @Override
    public void close() {
        ready.set(false);
        draining.set(true);
        LOG.info("reference-server shutting down (grace {}): answering new API requests with 503, finishing {} "
                + "in flight", config.shutdownGrace(), inFlight.get());
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        if (inFlight.get() > 0) {
            LOG.warn("{} requests still in flight after the grace period; stopping anyway", inFlight.get());
        } else {
            // Keep answering 503 for a moment before the port closes: clients and load balancers that have not yet
            // seen readiness turn false get an answer instead of a connection closed under them.
            long quiet = Math.min(java.util.concurrent.TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
            if (quiet > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(quiet);
            }
        }
        live.closeAll();
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
        probe.shutdownNow();
        summaries.stop();
        metrics.close();
        orders.close();
        store.close();
        redis.close();
        database.close();
        LOG.info("reference-server stopped");
    }

    static Tokens.Caller caller(Context ctx) {
        Tokens.Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw ApiException.unauthorized("send a bearer token: Authorization: Bearer <token>");
        }
        return caller;
    }

    static String correlationId(Context ctx) {
        return ctx.attribute(CORRELATION);
    }

    private Javalin routes(OrderApi api) {
        return Javalin.create(cfg -> {
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyServer(server -> server.setStopTimeout(config.shutdownGrace().toMillis()));
            cfg.routes.before(ctx -> {
                metrics.before(ctx);
                inFlight.incrementAndGet();
                ctx.attribute("counted", Boolean.TRUE);
                String correlation = ctx.header("X-Correlation-Id");
                if (correlation == null || correlation.isBlank() || correlation.length() > 100
                        || !correlation.matches("[A-Za-z0-9._:-]+")) {
                    correlation = UUID.randomUUID().toString();
                }
                ctx.attribute(CORRELATION, correlation);
                ctx.header("X-Correlation-Id", correlation);
                MDC.put(CORRELATION, correlation);
                if (config.corsOrigin() != null) {
                    ctx.header("Access-Control-Allow-Origin", config.corsOrigin());
                    ctx.header("Access-Control-Expose-Headers", "ETag, Location, X-Correlation-Id, RateLimit-Limit, "
                            + "RateLimit-Remaining, RateLimit-Reset, Retry-After, Idempotent-Replayed");
                    ctx.header("Vary", "Origin");
                }
                if (draining.get() && ctx.path().startsWith("/api/")) {
                    throw new ApiException(503, "Service Unavailable", "the server is shutting down; retry on "
                            + "another replica", List.of(), Map.of("Retry-After", "1", "Connection", "close"));
                }
                if (ctx.path().startsWith("/api/") && !ctx.path().equals("/api/events/live")) {
                    String authorization = ctx.header("Authorization");
                    Tokens.Caller caller = null;
                    ApiException rejected = null;
                    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                        try {
                            caller = tokens.verify(authorization.substring(7).strip());
                        } catch (ApiException e) {
                            rejected = e;
                        }
                    } else if (ctx.method() != HandlerType.OPTIONS) {
                        rejected = ApiException.unauthorized("send a bearer token: Authorization: Bearer <token>");
                    }
                    // Rate limit per caller, or per address when the caller is unknown.
                    Redis.Decision decision = redis.check(caller != null ? "sub:" + caller.subject()
                            : "ip:" + ctx.ip());
                    ctx.header("RateLimit-Limit", Long.toString(decision.limit()));
                    ctx.header("RateLimit-Remaining", Long.toString(decision.remaining()));
                    ctx.header("RateLimit-Reset", Long.toString(decision.resetSeconds()));
                    if (!decision.allowed()) {
                        throw new ApiException(429, "Too Many Requests", "rate limit of " + decision.limit()
                                + " requests per " + config.rateLimitWindow().toSeconds() + " s exceeded; retry in "
                                + decision.retryAfterSeconds() + " s", List.of(),
                                Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
                    }
                    if (rejected != null) {
                        throw rejected;
                    }
                    if (caller != null && redis.isRevoked(caller.tokenId())) {
                        throw ApiException.unauthorized("the token was revoked (logged out)");
                    }
                    ctx.attribute(CALLER, caller);
                }
            });
            cfg.routes.after(ctx -> {
                if (ctx.attribute("counted") != null) {
                    inFlight.decrementAndGet();
                }
                metrics.after(ctx);
                MDC.remove(CORRELATION);
            });
            cfg.routes.post("/api/orders", api::create);
            cfg.routes.get("/api/orders", api::list);
            cfg.routes.get("/api/orders/{id}", api::get);
            cfg.routes.get("/api/orders/{id}/events", api::events);
            cfg.routes.post("/api/orders/{id}/items", api::addItem);
            cfg.routes.patch("/api/orders/{id}/items/{productId}", api::changeItem);
            cfg.routes.delete("/api/orders/{id}/items/{productId}", api::removeItem);
            cfg.routes.post("/api/orders/{id}/{action}", api::command);
            cfg.routes.get("/api/customers/{customerId}/orders", api::customerOrders);
            cfg.routes.get("/api/customers/{customerId}/history", api::customerHistory);
            cfg.routes.get("/api/reports/sales-daily", api::salesDaily);
            cfg.routes.delete("/api/sessions/current", ctx -> {
                Tokens.Caller caller = caller(ctx);
                boolean everywhere = redis.revoke(caller.tokenId(), caller.expiresAt());
                if (!everywhere) {
                    throw new ApiException(503, "Service Unavailable", "logged out on this replica only: the "
                            + "session store is unreachable; retry", List.of(), Map.of("Retry-After", "5"));
                }
                ctx.status(204);
            });
            cfg.routes.ws("/api/events/live", ws -> live.configure(ws));
            for (String path : List.of("/api/orders", "/api/orders/{id}", "/api/orders/{id}/events",
                    "/api/orders/{id}/items", "/api/orders/{id}/items/{productId}", "/api/orders/{id}/{action}",
                    "/api/customers/{customerId}/orders", "/api/customers/{customerId}/history",
                    "/api/reports/sales-daily", "/api/sessions/current")) {
                cfg.routes.options(path, this::preflight);
            }
            cfg.routes.get("/openapi.json", ctx -> {
                try (var in = Server.class.getResourceAsStream("/openapi/openapi.json")) {
                    ctx.contentType("application/json").result(in.readAllBytes());
                }
            });
            cfg.routes.get("/health/live", ctx -> OrderApi.json(ctx, Map.of("status", "UP")));
            cfg.routes.get("/health/ready", this::readiness);
            cfg.routes.get("/ready", this::readiness);
            cfg.routes.get("/health", this::health);
            cfg.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e.status, e.title, e.getMessage(),
                    e.errors, e.headers));
            cfg.routes.exception(OrderRuleViolation.class, (e, ctx) -> {
                int status = switch (e.kind()) {
                    case NOT_FOUND -> 404;
                    case CONFLICT -> 409;
                    case INVALID -> 422;
                };
                List<Map<String, String>> errors = e instanceof InvalidOrderData invalid
                        ? List.of(Map.of("field", invalid.field(), "message", e.getMessage())) : List.of();
                problem(ctx, status, e.rule(), e.getMessage(), errors, Map.of());
            });
            cfg.routes.exception(WrongExpectedVersionException.class, (e, ctx) -> {
                boolean precondition = ctx.header("If-Match") != null;
                problem(ctx, precondition ? 412 : 409, precondition ? "Precondition Failed" : "Conflict",
                        (precondition ? "the order changed since the ETag you sent; " : "concurrent changes; ")
                                + "it is now at version " + e.actual(), List.of(),
                        Map.of("ETag", "\"" + e.actual() + "\""));
            });
            cfg.routes.exception(EventStoreUnavailableException.class, (e, ctx) -> {
                LOG.warn("event store unavailable: {}", e.getMessage());
                problem(ctx, 503, "Service Unavailable", "the database is unreachable; retry later", List.of(),
                        Map.of("Retry-After", "5"));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                problem(ctx, 500, "Internal Server Error", "an unexpected error occurred; quote correlation id "
                        + correlationId(ctx), List.of(), Map.of());
            });
            cfg.routes.error(404, "*", ctx -> {
                if (!"application/problem+json".equals(ctx.res().getContentType())) {
                    problem(ctx, 404, "Not Found", "no route for " + ctx.method() + " " + ctx.path(), List.of(),
                            Map.of());
                }
            });
            cfg.routes.error(405, "*", ctx -> problem(ctx, 405, "Method Not Allowed", ctx.method()
                    + " is not allowed on " + ctx.path(), List.of(), Map.of()));
            cfg.routes.error(413, "*", ctx -> problem(ctx, 413, "Content Too Large", "the body exceeds "
                    + config.maxBodyBytes() + " bytes", List.of(), Map.of()));
        });
    }

    /** CORS preflight: answered without a token (browsers send none), only when {@code CORS_ORIGIN} is set. */
    private void preflight(Context ctx) {
        if (config.corsOrigin() == null) {
            throw ApiException.of(405, "Method Not Allowed", "OPTIONS is not allowed on " + ctx.path());
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, Idempotency-Key, Prefer, "
                + "X-Correlation-Id");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private static void problem(Context ctx, int status, String title, String detail,
            List<Map<String, String>> errors, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        String correlation = correlationId(ctx);
        if (correlation != null) {
            body.put("correlationId", correlation);
        }
        headers.forEach(ctx::header);
        try {
            ctx.status(status).contentType("application/problem+json")
                    .result(Json.RESPONSES.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.status(status).result(title);
        }
    }

    /**
     * Pings the database on a worker thread with a 2 s limit, so a probe never hangs for the pool's acquire timeout;
     * a result is reused for 500 ms so probes cannot pile up.
     */
    private synchronized Map<String, Object> databaseCheck() {
        long now = System.nanoTime();
        if (lastCheck != null && now - lastCheckAt < 500_000_000L) {
            return lastCheck;
        }
        long started = System.nanoTime();
        Map<String, Object> check = new LinkedHashMap<>();
        java.util.concurrent.Future<?> ping = probe.submit(() -> {
            try (Connection connection = database.pool().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(2);
                statement.execute("SELECT 1");
            }
            return null;
        });
        try {
            ping.get(2, java.util.concurrent.TimeUnit.SECONDS);
            check.put("status", "healthy");
        } catch (Exception e) {
            ping.cancel(true);
            check.put("status", "unhealthy");
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            check.put("error", cause.getClass().getSimpleName());
        }
        check.put("responseTimeMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
        lastCheck = check;
        lastCheckAt = System.nanoTime();
        return check;
    }

    private void readiness(Context ctx) {
        boolean databaseUp = "healthy".equals(databaseCheck().get("status"));
        boolean isReady = ready.get() && databaseUp;
        ctx.status(isReady ? 200 : 503);
        OrderApi.json(ctx, Map.of("status", isReady ? "READY" : "NOT_READY", "database", databaseUp ? "UP" : "DOWN",
                "accepting", ready.get()));
    }

    private void health(Context ctx) {
        Map<String, Object> database = databaseCheck();
        boolean databaseUp = "healthy".equals(database.get("status"));
        Map<String, Object> eventStore = new LinkedHashMap<>();
        Map<String, Object> readModels = new LinkedHashMap<>();
        readModels.put("state", summaries.state().name());
        readModels.put("eventsProcessed", summaries.eventsProcessed());
        long started = System.nanoTime();
        if (databaseUp) { // the figures below read the database: only ask when it answers, so /health never hangs
            try {
                var horizon = store.readerHorizon();
                eventStore.put("status", "healthy");
                eventStore.put("eventsHeldBack", horizon.eventsHeldBack());
                eventStore.put("horizonLagSeconds", horizon.lag(Instant.now()).toMillis() / 1000.0);
                var projection = summaries.status();
                readModels.put("lagEvents", projection.lagEvents());
                readModels.put("lagSeconds", projection.lag().toMillis() / 1000.0);
            } catch (RuntimeException e) {
                eventStore.put("status", "unhealthy");
            }
        } else {
            eventStore.put("status", "unhealthy");
            eventStore.put("error", "database unreachable");
        }
        eventStore.put("responseTimeMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
        Map<String, Object> processing = new LinkedHashMap<>();
        processing.put("orderReadModels", readModels);
        boolean healthy = "healthy".equals(database.get("status")) && "healthy".equals(eventStore.get("status"));
        Map<String, Object> redisHealth = redis.health();
        boolean redisDown = "unhealthy".equals(redisHealth.get("status"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !healthy ? "unhealthy" : redisDown ? "degraded" : "healthy");
        body.put("version", config.appVersion());
        body.put("uptimeSeconds", Duration.between(startedAt, Instant.now()).toSeconds());
        body.put("timestamp", Instant.now().toString());
        Map<String, Object> dependencies = new LinkedHashMap<>();
        dependencies.put("database", database);
        dependencies.put("redis", redisHealth);
        dependencies.put("eventStore", eventStore);
        body.put("dependencies", dependencies);
        Runtime runtime = Runtime.getRuntime();
        body.put("memory", Map.of("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory(), "heapMaxBytes",
                runtime.maxMemory(), "uptimeMs", ManagementFactory.getRuntimeMXBean().getUptime()));
        body.put("eventProcessing", processing);
        ctx.status(healthy ? 200 : 503);
        OrderApi.json(ctx, body);
    }
}
