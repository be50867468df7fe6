package dev.eventfold.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server sessions: a short-lived access token plus a refresh token, the session itself in the {@link SessionStore}
 * (Redis), so every replica sees a refresh or a logout at once.
 *
 * <ul>
 *   <li>Each refresh rotates: the presented refresh token must be the session's current one; a new pair is issued
 *       and the old refresh token is dead.</li>
 *   <li>Presenting an old refresh token again (a copy in a thief's hands, or a client bug) ends the session: every
 *       token of it stops working on every replica.</li>
 *   <li>An access token of a session works only while the session lives: logout ends it everywhere before it
 *       expires.</li>
 *   <li>While the store does not answer, starting or refreshing a session is refused (503, nothing guessed); access
 *       tokens keep working unless this replica saw their session end (the outage policy of docs/server.md).</li>
 * </ul>
 */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Tokens tokens;
    private final SessionStore store;
    private final Cache<String, Boolean> endedHere = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofDays(1)).build();

    /**
     * @param tokens signs and checks the tokens
     * @param store where sessions live
     */
    public Sessions(Tokens tokens, SessionStore store) {
        this.tokens = tokens;
        this.store = store;
    }

    /**
     * A new pair of tokens.
     *
     * @param accessToken the access token
     * @param refreshToken the refresh token (use once)
     * @param sessionId the session
     * @param expiresIn seconds the access token lives
     * @param refreshExpiresIn seconds the refresh token lives
     */
    public record Issued(String accessToken, String refreshToken, String sessionId, long expiresIn,
            long refreshExpiresIn) {
    }

    /**
     * Starts a session.
     *
     * @param subject the caller
     * @param role the role
     * @return the first pair of tokens
     * @throws SessionStore.SessionStoreUnavailableException when the store does not answer
     */
    public Issued start(String subject, Role role) {
        String sessionId = UUID.randomUUID().toString();
        String refreshId = UUID.randomUUID().toString();
        store.create(sessionId, new SessionStore.Session(subject, role, refreshId), tokens.refreshExpiry());
        return issued(subject, role, sessionId, refreshId);
    }

    /**
     * Rotates a refresh token.
     *
     * @param refreshToken the refresh token the client holds
     * @return the next pair
     * @throws AuthException if the token is not a valid refresh token, its session ended, or it was already used (the
     *     session is then ended)
     * @throws SessionStore.SessionStoreUnavailableException when the store does not answer
     */
    public Issued refresh(String refreshToken) {
        JWTClaimsSet claims = tokens.verifyRefresh(refreshToken);
        String sessionId = (String) claims.getClaim("sid");
        String next = UUID.randomUUID().toString();
        Optional<SessionStore.Session> session = store.find(sessionId);
        if (session.isEmpty()) {
            throw new AuthException("the session ended; sign in again");
        }
        switch (store.rotate(sessionId, claims.getJWTID(), next, tokens.refreshExpiry())) {
            case ROTATED -> {
                return issued(session.get().subject(), session.get().role(), sessionId, next);
            }
            case REUSED -> {
                endedHere.put(sessionId, Boolean.TRUE);
                LOG.warn("refresh token reuse in session {} of {}: the session was ended", sessionId,
                        session.get().subject());
                throw new AuthException("the refresh token was already used; the session was ended for safety; "
                        + "sign in again");
            }
            default -> throw new AuthException("the session ended; sign in again");
        }
    }

    private Issued issued(String subject, Role role, String sessionId, String refreshId) {
        return new Issued(tokens.access(subject, role, sessionId), tokens.refresh(subject, role, sessionId, refreshId),
                sessionId, tokens.accessExpiry().toSeconds(), tokens.refreshExpiry().toSeconds());
    }

    /**
     * @param caller a verified caller
     * @return whether its session still lives (always true for tokens outside a session)
     */
    public boolean alive(Caller caller) {
        if (caller.sessionId() == null) {
            return true;
        }
        if (endedHere.getIfPresent(caller.sessionId()) != null) {
            return false;
        }
        try {
            return store.find(caller.sessionId()).isPresent();
        } catch (SessionStore.SessionStoreUnavailableException e) {
            return true; // outage policy: what this replica knows, see the class comment
        }
    }

    /**
     * Ends the caller's session (logout), on every replica.
     *
     * @param caller the caller
     * @throws SessionStore.SessionStoreUnavailableException when the store does not answer (it ended here only)
     */
    public void end(Caller caller) {
        if (caller.sessionId() != null) {
            endedHere.put(caller.sessionId(), Boolean.TRUE);
            store.end(caller.sessionId());
        }
    }
}
