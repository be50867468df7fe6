package dev.eventfold.server.auth;

import java.time.Instant;

/**
 * Who sent a request, from a verified access token.
 *
 * @param subject the caller's id (for customers, their customer id)
 * @param role the role
 * @param tokenId the token's id ({@code jti}), or null when the issuer sets none
 * @param expiresAt when the token expires
 * @param sessionId the server session the token belongs to, or null (tokens of the {@code token} command and of an
 *     identity provider)
 */
public record Caller(String subject, Role role, String tokenId, Instant expiresAt, String sessionId) {

    /** @return whether the caller is an admin */
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
