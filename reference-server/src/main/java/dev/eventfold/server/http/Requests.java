package dev.eventfold.server.http;

import dev.eventfold.server.auth.Caller;
import io.javalin.http.Context;

/** What the request filters attach to a request: the verified caller and the correlation id. */
public final class Requests {

    static final String CALLER = "caller";
    static final String CORRELATION = "correlationId";

    /** The log field (MDC) holding the authenticated caller's subject during a request. */
    static final String CALLER_LOG_FIELD = "caller";
    static final String STARTED = "server.started";

    private Requests() {
    }

    /**
     * @param ctx a request under {@code /api}
     * @return its verified caller
     * @throws ApiException 401 when the request carried no valid token
     */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw ApiException.unauthorized("send a bearer token: Authorization: Bearer <token>");
        }
        return caller;
    }

    /**
     * @param ctx a request under {@code /api/admin} (or another operator route)
     * @param what what the caller is doing, for the refusal ("rebuilding a projection")
     * @return its verified caller, an admin
     * @throws ApiException 401 without a valid token, 403 when the caller is not an admin
     */
    static Caller admin(Context ctx, String what) {
        Caller caller = caller(ctx);
        if (!caller.isAdmin()) {
            throw ApiException.forbidden(what + " needs the admin role");
        }
        return caller;
    }

    /**
     * @param ctx a request
     * @return its correlation id ({@code X-Correlation-Id}, or generated), or null before the filters ran
     */
    public static String correlationId(Context ctx) {
        return ctx.attribute(CORRELATION);
    }

    /** @return the SHA-256 of {@code bytes} in hex (an idempotent request's fingerprint) */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
