package dev.eventfold.server.http;

import io.javalin.http.Context;
import java.util.List;

/**
 * CORS for the configured origins ({@code CORS_ORIGIN} or {@code server.cors.origin}). Browsers accept one origin per
 * response, so the request's {@code Origin} is echoed when it is on the list (with {@code Vary: Origin}, so no shared
 * cache serves it to another origin), and nothing is sent otherwise. With {@code server.cors.credentials} the
 * response allows credentials.
 */
final class Cors {

    private static final String EXPOSED = "ETag, Location, X-Correlation-Id, RateLimit-Limit, RateLimit-Remaining, "
            + "RateLimit-Reset, Retry-After, Idempotent-Replayed";

    private final List<String> origins;
    private final boolean credentials;

    Cors(List<String> origins, boolean credentials) {
        this.origins = origins;
        this.credentials = credentials;
    }

    /** @return whether any origin is allowed at all */
    boolean enabled() {
        return !origins.isEmpty();
    }

    /** Adds the CORS headers for an allowed origin; returns whether the request's origin is allowed. */
    boolean decorate(Context ctx) {
        if (!enabled()) {
            return false;
        }
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin)) {
            return false;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED);
        if (credentials) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
        return true;
    }

    /** Answers a preflight: 204 with the allowed methods and headers, 403 for an origin not on the list. */
    void preflight(Context ctx) {
        if (!enabled()) {
            throw ApiException.of(405, "Method Not Allowed", "OPTIONS is not allowed on " + ctx.path());
        }
        if (!decorate(ctx)) {
            throw ApiException.of(403, "Forbidden", "origin " + shortOrigin(ctx.header("Origin"))
                    + " is not allowed; allowed: " + String.join(", ", origins));
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, Idempotency-Key, Prefer, "
                + "X-Correlation-Id");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private static String shortOrigin(String origin) {
        if (origin == null) {
            return "(none sent)";
        }
        return "'" + (origin.length() > 100 ? origin.substring(0, 100) + "..." : origin) + "'";
    }
}
