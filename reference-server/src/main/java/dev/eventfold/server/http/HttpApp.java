package dev.eventfold.server.http;

import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import dev.eventfold.server.config.TrustedProxies;
import dev.eventfold.server.health.HealthRoutes;
import dev.eventfold.server.metrics.ServerMetrics;
import dev.eventfold.server.tracing.ServerTracing;
import dev.eventfold.server.redis.Redis;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.util.List;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The HTTP server: one {@code Javalin.create} with the request filters, the routes grouped by resource, the probes,
 * the problem mapping, and the Jetty settings (problem+json for Jetty's own errors, slow clients cut off, gzip).
 */
public final class HttpApp implements AutoCloseable {

    private final Javalin app;
    private final SlowClientGuard slowClients;
    private final LiveEvents live;

    /**
     * What the routes need.
     *
     * @param config the configuration
     * @param tokens verifies bearer tokens
     * @param sessions server sessions
     * @param redis rate limits and revocations
     * @param metrics request and business metrics
     * @param tracing request spans (no-ops unless tracing is on)
     * @param drain readiness and the drain
     * @param orders the order routes
     * @param queries the read-model routes
     * @param admin the operator's projection routes
     * @param live the live event feed
     * @param probes the health probes
     * @param console the bundled console, if any
     */
    public record Routes(ServerConfig config, Tokens tokens, Sessions sessions, Redis redis, ServerMetrics metrics,
            ServerTracing tracing, Drain drain, OrderRoutes orders, OrderQueryRoutes queries, AdminRoutes admin,
            ComplianceRoutes compliance, LiveEvents live, HealthRoutes probes, Console console) {
    }

    /** @param routes the routes and what they need */
    public HttpApp(Routes routes) {
        ServerConfig.Http http = routes.config().http();
        Cors cors = new Cors(http.corsOrigins(), http.corsCredentials());
        this.slowClients = new SlowClientGuard(http.requestHeaderTimeout());
        this.live = routes.live();
        RequestFilters filters = new RequestFilters(routes.tokens(), routes.sessions(), routes.redis(),
                routes.metrics(), cors, routes.drain(), http.rateLimitWindow());
        SessionRoutes sessions = new SessionRoutes(routes.sessions(), routes.redis());
        OrderRoutes orders = routes.orders();
        OrderQueryRoutes queries = routes.queries();
        this.app = Javalin.create(cfg -> {
            cfg.http.maxRequestSize = http.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            // gzip for JSON above 1.5 KB when the client accepts it; brotli would need brotli4j's native libraries.
            cfg.http.compressionStrategy = CompressionStrategy.GZIP;
            cfg.startup.showJavalinBanner = false;
            TrustedProxies proxies = http.trustedProxies();
            cfg.contextResolver.ip = ctx -> proxies.client(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(http.shutdownGrace().toMillis());
                server.setErrorHandler(new ProblemErrorHandler());
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (var connector : server.getConnectors()) {
                            connector.addBean(slowClients);
                        }
                    }
                });
            });
            // No minimum request data rate: Jetty counts it from the request's start, so every request that waited in
            // the queue of a busy server more than a fraction of a second failed it (408). Headers: SlowClientGuard.
            // The span first, so the filters' log lines carry its ids; ended last, with the final status.
            cfg.routes.before(routes.tracing()::before);
            cfg.routes.before(filters::before);
            cfg.routes.after(filters::after);
            cfg.routes.after(routes.tracing()::after);
            cfg.routes.post("/api/orders", orders::create);
            cfg.routes.get("/api/orders", queries::list);
            cfg.routes.get("/api/orders/{id}", orders::get);
            cfg.routes.get("/api/orders/{id}/events", orders::events);
            cfg.routes.post("/api/orders/{id}/items", orders::addItem);
            cfg.routes.patch("/api/orders/{id}/items/{productId}", orders::changeItem);
            cfg.routes.delete("/api/orders/{id}/items/{productId}", orders::removeItem);
            cfg.routes.post("/api/orders/{id}/{action}", orders::command);
            cfg.routes.get("/api/customers/{customerId}/orders", queries::customerOrders);
            cfg.routes.get("/api/customers/{customerId}/history", queries::customerHistory);
            cfg.routes.get("/api/reports/sales-daily", queries::salesDaily);
            cfg.routes.post("/api/sessions", sessions::start);
            cfg.routes.post("/api/sessions/refresh", sessions::refresh);
            if (routes.config().embedded()) {
                cfg.routes.post("/api/sessions/dev", sessions::dev);
                cfg.routes.options("/api/sessions/dev", cors::preflight);
            }
            cfg.routes.delete("/api/sessions/current", sessions::end);
            cfg.routes.ws("/api/events/live", live::configure);
            AdminRoutes admin = routes.admin();
            cfg.routes.get("/api/admin/projections", admin::list);
            cfg.routes.get("/api/admin/projections/{name}/dead-letters", admin::deadLetters);
            cfg.routes.post("/api/admin/projections/{name}/dead-letters/replay", admin::replayAll);
            cfg.routes.post("/api/admin/projections/{name}/dead-letters/{letterId}/{action}", admin::letterAction);
            cfg.routes.post("/api/admin/projections/{name}/rebuild", admin::rebuild);
            ComplianceRoutes compliance = routes.compliance();
            cfg.routes.delete("/api/customers/{customerId}/personal-data", compliance::forget);
            cfg.routes.post("/api/admin/orders/{id}/tombstone", compliance::tombstone);
            cfg.routes.post("/api/admin/orders/{id}/soft-delete", compliance::softDelete);
            cfg.routes.post("/api/admin/orders/{id}/restore", compliance::restore);
            cfg.routes.get("/api/admin/audit", compliance::audit);
            cfg.routes.post("/api/admin/retention/run", compliance::retention);
            for (String path : List.of("/api/orders", "/api/orders/{id}", "/api/orders/{id}/events",
                    "/api/orders/{id}/items", "/api/orders/{id}/items/{productId}", "/api/orders/{id}/{action}",
                    "/api/customers/{customerId}/orders", "/api/customers/{customerId}/history",
                    "/api/reports/sales-daily", "/api/sessions", "/api/sessions/refresh", "/api/sessions/current",
                    "/api/admin/projections", "/api/admin/projections/{name}/dead-letters",
                    "/api/admin/projections/{name}/dead-letters/replay",
                    "/api/admin/projections/{name}/dead-letters/{letterId}/{action}",
                    "/api/admin/projections/{name}/rebuild", "/api/customers/{customerId}/personal-data",
                    "/api/admin/orders/{id}/tombstone", "/api/admin/orders/{id}/soft-delete",
                    "/api/admin/orders/{id}/restore", "/api/admin/audit", "/api/admin/retention/run")) {
                cfg.routes.options(path, cors::preflight);
            }
            cfg.routes.get("/openapi.json", ctx -> {
                try (var in = HttpApp.class.getResourceAsStream("/openapi/openapi.json")) {
                    // The same for every caller: the seed's five minutes in shared caches are safe here.
                    ctx.header("Cache-Control", "public, max-age=300");
                    ctx.contentType("application/json").result(in.readAllBytes());
                }
            });
            routes.probes().register(cfg);
            routes.console().register(cfg);
            ProblemMapper.register(cfg, http.maxBodyBytes());
        });
    }

    /**
     * @param host the bind address
     * @param port the port (0 for any free one)
     */
    public void start(String host, int port) {
        app.start(host, port);
    }

    /** @return the bound port */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        live.closeAll();
        try {
            app.stop();
        } finally {
            slowClients.close();
        }
    }
}
