package dev.eventfold.server.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Where server sessions live: Redis, so that every replica sees a refresh, a reuse or a logout at once; or this
 * process alone in the single-node modes.
 */
public interface SessionStore {

    /**
     * A session.
     *
     * @param subject the caller
     * @param role the role
     * @param refreshId the id of the one refresh token that may be used next
     */
    record Session(String subject, Role role, String refreshId) {
    }

    /** The outcome of {@link #rotate}. */
    enum Rotation {
        /** The refresh token was the current one; the next one is now current. */
        ROTATED,
        /** The session does not exist (ended, expired or never created). */
        ENDED,
        /** An old refresh token was presented: the session was ended, since a thief may hold a copy. */
        REUSED
    }

    /**
     * @param sessionId a new session id
     * @param session the session
     * @param ttl how long it lives without a refresh
     * @throws SessionStoreUnavailableException when the store cannot take it
     */
    void create(String sessionId, Session session, Duration ttl);

    /**
     * @param sessionId the session
     * @return the session if it is alive
     * @throws SessionStoreUnavailableException when the store does not answer
     */
    Optional<Session> find(String sessionId);

    /**
     * Atomically replaces the current refresh id, if {@code presented} is it; otherwise ends the session.
     *
     * @param sessionId the session
     * @param presented the refresh id the client sent
     * @param next the refresh id to make current
     * @param ttl the session's new lifetime
     * @return what happened
     * @throws SessionStoreUnavailableException when the store does not answer
     */
    Rotation rotate(String sessionId, String presented, String next, Duration ttl);

    /**
     * Ends a session; idempotent.
     *
     * @param sessionId the session
     * @throws SessionStoreUnavailableException when the store does not answer
     */
    void end(String sessionId);

    /** The store did not answer; the request gets 503 rather than a guess. */
    final class SessionStoreUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what failed */
        public SessionStoreUnavailableException(String message) {
            super(message);
        }
    }
}
