package dev.eventfold.server.http;

import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.redis.Redis;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/sessions}: start a session from a verified access token (for example an identity provider's), rotate a
 * refresh token, end the current session (logout on every replica), and in the embedded dev mode only, a dev sign-in
 * that starts a session for any subject and role.
 */
final class SessionRoutes {

    private final Sessions sessions;
    private final Redis redis;

    SessionRoutes(Sessions sessions, Redis redis) {
        this.sessions = sessions;
        this.redis = redis;
    }

    record RefreshBody(String refreshToken) {
    }

    record DevBody(String subject, String role) {
    }

    /** {@code POST /api/sessions}: a session for the caller of the bearer token. */
    void start(Context ctx) {
        Caller caller = Requests.caller(ctx);
        issued(ctx.status(201), sessions.start(caller.subject(), caller.role()));
    }

    /** {@code POST /api/sessions/refresh}: the refresh token in the body; no bearer token needed. */
    void refresh(Context ctx) {
        RefreshBody body = Json.body(ctx, RefreshBody.class);
        if (body.refreshToken() == null || body.refreshToken().isBlank()) {
            throw ApiException.invalid("refreshToken", "is required");
        }
        issued(ctx, sessions.refresh(body.refreshToken()));
    }

    /** {@code POST /api/sessions/dev}: registered only in the embedded dev mode. */
    void dev(Context ctx) {
        DevBody body = Json.body(ctx, DevBody.class);
        if (body.subject() == null || !body.subject().matches("[A-Za-z0-9._@-]{1,100}")) {
            throw ApiException.invalid("subject", "must be 1 to 100 characters of A-Z a-z 0-9 . _ @ -");
        }
        Role role = Role.parse(body.role());
        if (role == null) {
            throw ApiException.invalid("role", "must be customer or admin");
        }
        issued(ctx.status(201), sessions.start(body.subject(), role));
    }

    /** {@code DELETE /api/sessions/current}: logout. */
    void end(Context ctx) {
        Caller caller = Requests.caller(ctx);
        boolean everywhere = caller.tokenId() == null || redis.revoke(caller.tokenId(), caller.expiresAt());
        sessions.end(caller);
        if (!everywhere) {
            throw new ApiException(503, "Service Unavailable", "logged out on this replica only: the session store is "
                    + "unreachable; retry", List.of(), Map.of("Retry-After", "5"));
        }
        ctx.status(204);
    }

    private static void issued(Context ctx, Sessions.Issued issued) {
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, Map.of("accessToken", issued.accessToken(), "refreshToken", issued.refreshToken(),
                "tokenType", "Bearer", "sessionId", issued.sessionId(), "expiresIn", issued.expiresIn(),
                "refreshExpiresIn", issued.refreshExpiresIn()));
    }
}
