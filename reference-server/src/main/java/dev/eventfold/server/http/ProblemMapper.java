package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.audit.AuditException;
import dev.eventfold.orders.InvalidOrderData;
import dev.eventfold.orders.OrderRuleViolation;
import dev.eventfold.server.auth.AuthException;
import dev.eventfold.server.auth.SessionStore;
import dev.eventfold.server.readmodel.OrderReadModels;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become {@code application/problem+json}: API, domain, library, auth and session errors,
 * and Javalin's own 404/405/413. Jetty's errors below the application go through {@link ProblemErrorHandler}.
 * Handlers never build error JSON themselves.
 */
final class ProblemMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

    private ProblemMapper() {
    }

    static void register(JavalinConfig cfg, long maxBodyBytes) {
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
                            + "it is now at version " + e.actual(), List.of(), Map.of("ETag", "\"" + e.actual() + "\""));
        });
        cfg.routes.exception(StreamDeletedException.class, (e, ctx) -> problem(ctx, 410, "Gone", e.restorable()
                ? "this order was soft-deleted by an administrator, who can restore it"
                : "this order was deleted for good (tombstoned) by an administrator", List.of(), Map.of()));
        cfg.routes.exception(AuditException.class, (e, ctx) -> {
            LOG.error("administrative action not audited: {}", e.getMessage());
            problem(ctx, 503, "Service Unavailable", "the action was done but could not be recorded in the audit "
                    + "trail; repeat it to record it", List.of(), Map.of("Retry-After", "5"));
        });
        cfg.routes.exception(AuthException.class, (e, ctx) -> problem(ctx, 401, "Unauthorized", e.getMessage(),
                List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"orders\"")));
        cfg.routes.exception(SessionStore.SessionStoreUnavailableException.class, (e, ctx) -> {
            LOG.warn("session store unavailable: {}", e.getMessage());
            problem(ctx, 503, "Service Unavailable", "sessions cannot be started or refreshed right now; retry",
                    List.of(), Map.of("Retry-After", "5"));
        });
        cfg.routes.exception(OrderReadModels.ReadModelUnavailableException.class, (e, ctx) -> {
            LOG.warn("read model unavailable: {}", e.getCause() == null ? e.getMessage() : e.getCause().toString());
            problem(ctx, 503, "Service Unavailable", "the read model cannot be read right now", List.of(),
                    Map.of("Retry-After", "5"));
        });
        cfg.routes.exception(EventStoreUnavailableException.class, (e, ctx) -> {
            LOG.warn("event store unavailable: {}", e.getMessage());
            problem(ctx, 503, "Service Unavailable", "the database is unreachable; retry later", List.of(),
                    Map.of("Retry-After", "5"));
        });
        cfg.routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> problem(ctx, e.getCode(),
                org.eclipse.jetty.http.HttpStatus.getMessage(e.getCode()), "the request could not be read: "
                + org.eclipse.jetty.http.HttpStatus.getMessage(e.getCode()), List.of(), Map.of("Connection", "close")));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, 500, "Internal Server Error", "an unexpected error occurred; quote correlation id "
                    + Requests.correlationId(ctx), List.of(), Map.of());
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
                + maxBodyBytes + " bytes", List.of(), Map.of()));
    }

    static void problem(Context ctx, int status, String title, String detail, List<Map<String, String>> errors,
            Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors);
        }
        String correlation = Requests.correlationId(ctx);
        if (correlation != null) {
            body.put("correlationId", correlation);
        }
        headers.forEach(ctx::header);
        try {
            ctx.status(status).contentType("application/problem+json").result(Json.RESPONSES.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.status(status).result(title);
        }
    }
}
