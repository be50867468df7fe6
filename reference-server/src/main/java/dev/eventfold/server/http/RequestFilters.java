package dev.eventfold.server.http;

import dev.eventfold.server.auth.AuthException;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.metrics.ServerMetrics;
import dev.eventfold.server.redis.Redis;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every request goes through before its route: a correlation id (taken from {@code X-Correlation-Id} or made,
 * echoed, in the logs' MDC), {@code Cache-Control: private, no-cache}, CORS, the drain, and under {@code /api} the
 * bearer token, the rate limit (per caller, or per address without a valid token) and revocation; and after it:
 * metrics and the debug access log line.
 */
final class RequestFilters {

    private static final Logger LOG = LoggerFactory.getLogger(RequestFilters.class);
    /** API paths that need no bearer token (the live feed checks its own token). */
    private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]+");
    /** The actions of {@code /api/orders/{id}/{action}}, as the command metric names them. */
    private static final Set<String> ACTIONS = Set.of("confirm", "pay", "ship", "deliver", "cancel");
    private static final Set<String> PUBLIC = Set.of("/api/events/live", "/api/sessions/refresh", "/api/sessions/dev");

    private final Tokens tokens;
    private final Sessions sessions;
    private final Redis redis;
    private final ServerMetrics metrics;
    private final Cors cors;
    private final Drain drain;
    private final Duration rateLimitWindow;

    RequestFilters(Tokens tokens, Sessions sessions, Redis redis, ServerMetrics metrics, Cors cors, Drain drain,
            Duration rateLimitWindow) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.redis = redis;
        this.metrics = metrics;
        this.cors = cors;
        this.drain = drain;
        this.rateLimitWindow = rateLimitWindow;
    }

    void before(Context ctx) {
        ctx.attribute(Requests.STARTED, System.nanoTime());
        drain.entered();
        ctx.attribute("counted", Boolean.TRUE);
        String correlation = ctx.header("X-Correlation-Id");
        if (correlation == null || correlation.isBlank() || correlation.length() > 100
                || !CORRELATION_ID.matcher(correlation).matches()) {
            // Not a secret, so not from SecureRandom: its one JDK-wide lock made request threads queue behind a
            // preempted holder for up to a second under load (JFR, docs/performance.md "HTTP load").
            ThreadLocalRandom random = ThreadLocalRandom.current();
            correlation = new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                    random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L).toString();
        }
        ctx.attribute(Requests.CORRELATION, correlation);
        // Per-user data must never sit in a shared cache (CDN); browsers may keep it but must revalidate.
        ctx.header("Cache-Control", "private, no-cache");
        ctx.header("X-Correlation-Id", correlation);
        MDC.put(Requests.CORRELATION, correlation);
        cors.decorate(ctx);
        if (drain.draining() && ctx.path().startsWith("/api/")) {
            throw new ApiException(503, "Service Unavailable", "the server is shutting down; retry on another "
                    + "replica", List.of(), Map.of("Retry-After", "1", "Connection", "close"));
        }
        if (ctx.path().startsWith("/api/") && !PUBLIC.contains(ctx.path())) {
            authenticate(ctx);
        }
    }

    private void authenticate(Context ctx) {
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
        Redis.Decision decision = redis.check(caller != null ? "sub:" + caller.subject() : "ip:" + ctx.ip());
        ctx.header("RateLimit-Limit", Long.toString(decision.limit()));
        ctx.header("RateLimit-Remaining", Long.toString(decision.remaining()));
        ctx.header("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            throw new ApiException(429, "Too Many Requests", "rate limit of " + decision.limit() + " requests per "
                    + rateLimitWindow.toSeconds() + " s exceeded; retry in " + decision.retryAfterSeconds() + " s",
                    List.of(), Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
        }
        if (rejected != null) {
            throw rejected;
        }
        if (caller != null && (redis.isRevoked(caller.tokenId()) || !sessions.alive(caller))) {
            throw ApiException.unauthorized("the token was revoked (logged out, or its session ended)");
        }
        ctx.attribute(Requests.CALLER, caller);
        if (caller != null) {
            MDC.put(Requests.CALLER_LOG_FIELD, caller.subject());
        }
    }

    void after(Context ctx) {
        if (ctx.attribute("counted") != null) {
            drain.left();
        }
        Long started = ctx.attribute(Requests.STARTED);
        metrics.after(ctx, started);
        countCommand(ctx);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} {} ms", ctx.method(), ctx.path(), ctx.statusCode(), started == null ? -1
                    : Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        MDC.remove(Requests.CORRELATION);
        MDC.remove(Requests.CALLER_LOG_FIELD);
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
                yield action != null && ACTIONS.contains(action) ? action : "unknown";
            }
            default -> "unknown";
        };
        int status = ctx.statusCode();
        metrics.command(command, status < 400 ? "success" : status < 500 ? "4xx" : "5xx");
    }
}
