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
import dev.eventfold.server.auth.AuthException;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.auth.InProcessSessionStore;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.SessionStore;
import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import dev.eventfold.server.health.HealthChecks;
import dev.eventfold.server.health.HealthReport;
import dev.eventfold.server.health.HealthRoutes;
import dev.eventfold.server.metrics.ServerMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
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
    private static final String STARTED = "server.started";
    /** API paths that need no bearer token (the live feed checks its own token). */
    private static final java.util.Set<String> PUBLIC = java.util.Set.of("/api/events/live", "/api/sessions/refresh",
            "/api/sessions/dev");

    private final ServerConfig config;
    private final Database database;
    private final PostgresEventStore store;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final ProjectionRunner<Connection> summaries;
    private final Tokens tokens;
    private final Sessions sessions;
    private final ServerMetrics metrics;
    private final HealthChecks health;
    private final Cors cors;
    private final SlowClientGuard slowClients;
    private final Redis redis;
    private final Javalin app;
    private LiveEvents live;
    private int metricsPort;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    private Server(ServerConfig config) {
        this.config = config;
        this.metrics = new ServerMetrics(config.monitoring().metrics(), config.monitoring().alerts());
        this.cors = new Cors(config.http().corsOrigins(), config.http().corsCredentials());
        this.slowClients = new SlowClientGuard(config.http().requestHeaderTimeout());
        this.database = Database.open(config);
        this.redis = new Redis(config);
        String schema = config.database().schema();
        try {
            if (config.embedded()) {
                Migrations.run(database.pool(), schema);
            }
            ServerConfig.EventSourcing tuning = config.eventSourcing();
            this.store = PostgresEventStore.builder(database.pool()).schema(schema)
                    .limits(dev.eventfold.eventstore.EventStoreLimits.builder()
                            .maxEventsPerRead(tuning.maxEventsPerRead()).build())
                    .pageSize(Math.min(500, tuning.maxEventsPerRead())).build();
            this.orders = AggregateRepository.builder(store, Orders.DECIDER, Orders.EVENT_TYPES)
                    .category(Orders.CATEGORY)
                    .snapshots(PostgresSnapshotStore.create(database.pool(), schema), Orders.STATE_CODEC,
                            new SnapshotPolicy(tuning.snapshotFrequency()))
                    .maxAttempts(tuning.commandMaxAttempts())
                    .cache(10_000).listener(metrics.aggregateListener()).build();
            this.summaries = ProjectionRunner.builder(store, PostgresProjectionStore.create(database.pool(), schema),
                    OrderSummariesProjection.NAME, metrics.metered(new OrderSummariesProjection(schema)))
                    .batchSize(tuning.eventBatchSize()).build();
            this.tokens = Secrets.tokens(config, Clock.systemUTC());
            this.sessions = new Sessions(tokens, redis.configured() ? new RedisSessionStore(redis)
                    : new InProcessSessionStore());
            this.health = new HealthChecks(config.monitoring().health(), this::pingDatabase, redis::ping,
                    store::readerHorizon);
            metrics.bind(database.pool(), store, summaries);
            metrics.bindRedis(redis::connectionsActive, redis::fallbacks);
            metrics.bindHealth(health);
            this.live = new LiveEvents(store, orders, tokens, sessions, redis);
            // Microsecond ticks: PostgreSQL keeps microseconds, so the read models show the same times as the events.
            this.app = routes(new OrderApi(orders, store, database.pool(), schema, Currency.getInstance("EUR"),
                    Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000)), summaries),
                    new HealthRoutes(config.monitoring().health(), health, new HealthReport(config, health,
                            this::eventProcessing), ready::get));
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
        server.metricsPort = config.monitoring().metrics().enabled() ? server.metrics.start(config.http().host())
                : -1;
        server.app.start(config.http().host(), config.http().port());
        server.ready.set(true);
        LOG.info("reference-server {} ({}) listening on {}:{}, metrics on {} ({}; configuration files: {})",
                config.appVersion(), config.environment(), config.http().host(), server.port(), server.metricsPort,
                config.embedded() ? "embedded PostgreSQL, single-node dev mode"
                        : "PostgreSQL " + config.database().host(), config.files().isEmpty() ? "none"
                        : config.files());
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
    String token(String subject, Role role) {
        return tokens.issue(subject, role);
    }

    /** Graceful stop: readiness false, in-flight requests finish, the runner stops at a checkpoint, pools close. */
    @Override
    public void close() {
        ready.set(false);
        draining.set(true);
        Duration grace = config.http().shutdownGrace();
        LOG.info("reference-server shutting down (grace {}): answering new API requests with 503, finishing {} "
                + "in flight", grace, inFlight.get());
        long deadline = System.nanoTime() + grace.toNanos();
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
        health.close();
        slowClients.close();
        summaries.stop();
        metrics.close();
        orders.close();
        store.close();
        redis.close();
        database.close();
        LOG.info("reference-server stopped");
    }

    static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw ApiException.unauthorized("send a bearer token: Authorization: Bearer <token>");
        }
        return caller;
    }

    static String correlationId(Context ctx) {
        return ctx.attribute(CORRELATION);
    }

    private Javalin routes(OrderApi api, HealthRoutes probes) {
        return Javalin.create(cfg -> {
            cfg.http.maxRequestSize = config.http().maxBodyBytes();
            cfg.http.prefer405over404 = true;
            // gzip for JSON above 1.5 KB when the client accepts it; brotli would need brotli4j's native libraries.
            cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.GZIP;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(config.http().shutdownGrace().toMillis());
                server.setErrorHandler(new ProblemErrorHandler());
                server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                        for (var connector : server.getConnectors()) {
                            connector.addBean(slowClients);
                        }
                    }
                });
            });
            // Bodies must keep coming at 1 KiB/s at least (a 64 KiB body in about a minute); headers: SlowClientGuard.
            cfg.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(1024));
            cfg.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                metrics.before(ctx);
                inFlight.incrementAndGet();
                ctx.attribute("counted", Boolean.TRUE);
                String correlation = ctx.header("X-Correlation-Id");
                if (correlation == null || correlation.isBlank() || correlation.length() > 100
                        || !correlation.matches("[A-Za-z0-9._:-]+")) {
                    correlation = UUID.randomUUID().toString();
                }
                ctx.attribute(CORRELATION, correlation);
                // Per-user data must never sit in a shared cache (CDN); browsers may keep it but must revalidate.
                ctx.header("Cache-Control", "private, no-cache");
                ctx.header("X-Correlation-Id", correlation);
                MDC.put(CORRELATION, correlation);
                cors.decorate(ctx);
                if (draining.get() && ctx.path().startsWith("/api/")) {
                    throw new ApiException(503, "Service Unavailable", "the server is shutting down; retry on "
                            + "another replica", List.of(), Map.of("Retry-After", "1", "Connection", "close"));
                }
                if (ctx.path().startsWith("/api/") && !PUBLIC.contains(ctx.path())) {
                    String authorization = ctx.header("Authorization");
                    Caller caller = null;
                    ApiException rejected = null;
                    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                        try {
                            caller = tokens.verify(authorization.substring(7).strip());
                        } catch (AuthException e) {
                            rejected = ApiException.unauthorized(e.getMessage());
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
                                + " requests per " + config.http().rateLimitWindow().toSeconds() + " s exceeded; retry in "
                                + decision.retryAfterSeconds() + " s", List.of(),
                                Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
                    }
                    if (rejected != null) {
                        throw rejected;
                    }
                    if (caller != null && (redis.isRevoked(caller.tokenId()) || !sessions.alive(caller))) {
                        throw ApiException.unauthorized("the token was revoked (logged out, or its session ended)");
                    }
                    ctx.attribute(CALLER, caller);
                }
            });
            cfg.routes.after(ctx -> {
                if (ctx.attribute("counted") != null) {
                    inFlight.decrementAndGet();
                }
                metrics.after(ctx);
                countCommand(ctx);
                if (LOG.isDebugEnabled()) {
                    Long started = ctx.attribute(STARTED);
                    LOG.debug("{} {} {} {} ms", ctx.method(), ctx.path(), ctx.statusCode(), started == null ? -1
                            : Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
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
            SessionRoutes sessionRoutes = new SessionRoutes(sessions, redis);
            cfg.routes.post("/api/sessions", sessionRoutes::start);
            cfg.routes.post("/api/sessions/refresh", sessionRoutes::refresh);
            if (config.embedded()) {
                cfg.routes.post("/api/sessions/dev", sessionRoutes::dev);
                cfg.routes.options("/api/sessions/dev", cors::preflight);
            }
            cfg.routes.delete("/api/sessions/current", sessionRoutes::end);
            cfg.routes.ws("/api/events/live", ws -> live.configure(ws));
            for (String path : List.of("/api/orders", "/api/orders/{id}", "/api/orders/{id}/events",
                    "/api/orders/{id}/items", "/api/orders/{id}/items/{productId}", "/api/orders/{id}/{action}",
                    "/api/customers/{customerId}/orders", "/api/customers/{customerId}/history",
                    "/api/reports/sales-daily", "/api/sessions", "/api/sessions/refresh", "/api/sessions/current")) {
                cfg.routes.options(path, cors::preflight);
            }
            cfg.routes.get("/openapi.json", ctx -> {
                try (var in = Server.class.getResourceAsStream("/openapi/openapi.json")) {
                    // The same for every caller: the seed's five minutes in shared caches are safe here.
                    ctx.header("Cache-Control", "public, max-age=300");
                    ctx.contentType("application/json").result(in.readAllBytes());
                }
            });
            probes.register(cfg);
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
            cfg.routes.exception(AuthException.class, (e, ctx) -> problem(ctx, 401, "Unauthorized", e.getMessage(),
                    List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"orders\"")));
            cfg.routes.exception(SessionStore.SessionStoreUnavailableException.class, (e, ctx) -> {
                LOG.warn("session store unavailable: {}", e.getMessage());
                problem(ctx, 503, "Service Unavailable", "sessions cannot be started or refreshed right now; retry",
                        List.of(), Map.of("Retry-After", "5"));
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
                    + config.http().maxBodyBytes() + " bytes", List.of(), Map.of()));
        });
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

    private void pingDatabase() throws java.sql.SQLException {
        try (Connection connection = database.pool().getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, config.monitoring().health().timeout().toSeconds()));
            statement.execute("SELECT 1");
        }
    }

    /** The seed's {@code metrics.eventProcessing}: the read-model runner and the store's reader horizon. */
    private Map<String, Object> eventProcessing() {
        Map<String, Object> processing = new LinkedHashMap<>();
        var projection = summaries.status();
        processing.put("projection", summaries.name());
        processing.put("state", summaries.state().name());
        processing.put("eventsProcessed", summaries.eventsProcessed());
        processing.put("lagEvents", projection.lagEvents());
        processing.put("lagSeconds", projection.lag().toMillis() / 1000.0);
        var horizon = store.readerHorizon();
        processing.put("eventsHeldBack", horizon.eventsHeldBack());
        processing.put("horizonLagSeconds", horizon.lag(Instant.now()).toMillis() / 1000.0);
        return processing;
    }

    /** Business metrics: each order command by outcome, named from the matched route. */
    private void countCommand(Context ctx) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || ctx.method() == HandlerType.GET || ctx.method() == HandlerType.OPTIONS
                || !endpoint.path.startsWith("/api/orders")) {
            return;
        }
        String command = switch (endpoint.path) {
            case "/api/orders" -> "create";
            case "/api/orders/{id}/items" -> "addItem";
            case "/api/orders/{id}/items/{productId}" -> ctx.method() == HandlerType.DELETE ? "removeItem"
                    : "changeItem";
            case "/api/orders/{id}/{action}" -> {
                String action = ctx.pathParamMap().get("action");
                yield action != null && action.matches("confirm|pay|ship|deliver|cancel") ? action : "unknown";
            }
            default -> "unknown";
        };
        int status = ctx.statusCode();
        metrics.command(command, status < 400 ? "success" : status < 500 ? "4xx" : "5xx");
    }
}
