package dev.eventfold.server;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** HS256 bearer tokens: who the caller is ({@code sub}) and their role ({@code customer} or {@code admin}). */
final class Tokens {

    static final String ISSUER = "eventfold-reference-server";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration expiry;
    private final Clock clock;

    Tokens(String secret, Duration expiry, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = JWT.require(algorithm).withIssuer(ISSUER).withClaimPresence("role").build();
        this.expiry = expiry;
        this.clock = clock;
    }

    /** The configured secret, or in embedded mode the one generated once and kept in the data directory. */
    static String secret(ServerConfig config) {
        if (config.auth().jwtSecret() != null) {
            return config.auth().jwtSecret();
        }
        Path file = config.dataDir().resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(config.dataDir());
            byte[] key = new byte[48];
            new SecureRandom().nextBytes(key);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
            Files.writeString(file, secret, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the directory is the user's own
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the JWT secret in " + file, e);
        }
    }

    String issue(String subject, Role role) {
        Instant now = clock.instant();
        return JWT.create().withIssuer(ISSUER).withSubject(subject).withClaim("role", role.name().toLowerCase())
                .withJWTId(UUID.randomUUID().toString()).withIssuedAt(now).withExpiresAt(now.plus(expiry))
                .sign(algorithm);
    }

    /**
     * @param token a bearer token
     * @return the caller
     * @throws ApiException 401 if it is missing, forged, expired or malformed
     */
    Caller verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            Role role = Role.parse(jwt.getClaim("role").asString());
            if (jwt.getSubject() == null || jwt.getSubject().isBlank() || role == null) {
                throw ApiException.unauthorized("the token has no subject or an unknown role");
            }
            return new Caller(jwt.getSubject(), role, jwt.getId(), jwt.getExpiresAtAsInstant());
        } catch (TokenExpiredException e) {
            throw ApiException.unauthorized("the token expired");
        } catch (JWTVerificationException e) {
            throw ApiException.unauthorized("the token is not valid: " + e.getMessage());
        }
    }

    /** A role. */
    enum Role {
        CUSTOMER, ADMIN;

        static Role parse(String value) {
            if ("customer".equals(value)) {
                return CUSTOMER;
            }
            return "admin".equals(value) ? ADMIN : null;
        }
    }

    /**
     * @param subject the caller's id (for customers, their customer id)
     * @param role the role
     * @param tokenId the token's id
     * @param expiresAt when the token expires
     */
    record Caller(String subject, Role role, String tokenId, java.time.Instant expiresAt) {
        boolean isAdmin() {
            return role == Role.ADMIN;
        }
    }
}
