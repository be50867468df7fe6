package dev.eventfold.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Bearer tokens. The server issues HS256 access tokens (key {@code JWT_SECRET}, lifetime {@code JWT_EXPIRY}) and
 * HS256 refresh tokens (key {@code JWT_REFRESH_SECRET}); it also accepts RS256 and ES256 access tokens of an identity
 * provider, verified against its JWKS ({@code JWT_JWKS_URL}) with issuer and audience checks. Anything else is refused
 * by its header before any key is used: {@code alg: none}, other algorithms, an RS256 header over an HMAC (algorithm
 * confusion: the HMAC key is only ever {@code JWT_SECRET}, never a public key), unknown {@code kid}s.
 */
public final class Tokens {

    /** The {@code iss} of the server's own tokens. */
    public static final String ISSUER = "eventfold-reference-server";
    private static final String USE = "use";

    private final byte[] accessKey;
    private final byte[] refreshKey;
    private final Duration accessExpiry;
    private final Duration refreshExpiry;
    private final Clock clock;
    private final JwksVerifier provider;
    /**
     * Access tokens verified in the last minute, by their exact text (signature included, so a forged or altered
     * token is another key and is verified in full). Parsing and checking a JWT took a fifth of the server's CPU under
     * load (JFR, docs/performance.md "HTTP load"), and a client sends the same token with every request. A hit still
     * checks the expiry; revocation is checked per request by the caller of {@link #verify}. The minute bounds how
     * long a token signed with a key the identity provider has since withdrawn stays accepted; the cache holds at most
     * 10,000 tokens (a few megabytes).
     */
    private final Cache<String, Caller> verified;

    /**
     * @param accessSecret HS256 key of access tokens (at least 32 bytes)
     * @param refreshSecret HS256 key of refresh tokens (at least 32 bytes)
     * @param accessExpiry access-token lifetime
     * @param refreshExpiry refresh-token and session lifetime
     * @param clock the clock
     * @param provider the identity provider's verifier, or null when only the server's own tokens are accepted
     */
    public Tokens(String accessSecret, String refreshSecret, Duration accessExpiry, Duration refreshExpiry,
            Clock clock, JwksVerifier provider) {
        this.accessKey = accessSecret.getBytes(StandardCharsets.UTF_8);
        this.refreshKey = refreshSecret.getBytes(StandardCharsets.UTF_8);
        this.accessExpiry = accessExpiry;
        this.refreshExpiry = refreshExpiry;
        this.clock = clock;
        this.provider = provider;
        this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    }

    /** @return the lifetime of access tokens */
    public Duration accessExpiry() {
        return accessExpiry;
    }

    /** @return the lifetime of refresh tokens and sessions */
    public Duration refreshExpiry() {
        return refreshExpiry;
    }

    /**
     * An access token outside any session (the {@code token} command, tests).
     *
     * @param subject the caller
     * @param role the role
     * @return the token
     */
    public String issue(String subject, Role role) {
        return access(subject, role, null);
    }

    String access(String subject, Role role, String sessionId) {
        JWTClaimsSet.Builder claims = claims(subject, role, UUID.randomUUID().toString(), accessExpiry);
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        return sign(claims.build(), accessKey);
    }

    String refresh(String subject, Role role, String sessionId, String refreshId) {
        return sign(claims(subject, role, refreshId, refreshExpiry).claim("sid", sessionId).claim(USE, "refresh")
                .build(), refreshKey);
    }

    private JWTClaimsSet.Builder claims(String subject, Role role, String id, Duration lifetime) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject).claim("role", role.claim()).jwtID(id)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)));
    }

    private static String sign(JWTClaimsSet claims, byte[] key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                    claims);
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * @param token a bearer token
     * @return the caller
     * @throws AuthException if it is malformed, forged, expired, of another algorithm or a refresh token
     */
    public Caller verify(String token) {
        Caller known = token == null ? null : verified.getIfPresent(token);
        if (known != null) {
            if (known.expiresAt().isAfter(clock.instant())) {
                return known;
            }
            // Past its expiry: verified in full again, which refuses it (or allows the provider's clock skew).
            verified.invalidate(token);
        }
        Caller caller = verifyInFull(token);
        verified.put(token, caller);
        return caller;
    }

    private Caller verifyInFull(String token) {
        SignedJWT jwt = parse(token);
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.HS256.equals(algorithm)) {
            JWTClaimsSet claims = verified(jwt, accessKey);
            if (claims.getClaim(USE) != null) {
                throw new AuthException("a refresh token is not an access token");
            }
            return caller(claims);
        }
        if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.ES256.equals(algorithm)) {
            if (provider == null) {
                throw new AuthException("tokens signed with " + algorithm + " are accepted only with JWT_JWKS_URL set");
            }
            return provider.verify(jwt);
        }
        throw new AuthException("tokens signed with " + algorithm + " are not accepted; use HS256 tokens of this "
                + "server or RS256/ES256 tokens of the configured identity provider");
    }

    /**
     * @param token a refresh token
     * @return its claims
     * @throws AuthException if it is malformed, forged, expired or not a refresh token
     */
    JWTClaimsSet verifyRefresh(String token) {
        SignedJWT jwt = parse(token);
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AuthException("the refresh token is not valid");
        }
        JWTClaimsSet claims = verified(jwt, refreshKey);
        if (!"refresh".equals(claims.getClaim(USE)) || claims.getClaim("sid") == null) {
            throw new AuthException("the token is not a refresh token");
        }
        return claims;
    }

    static SignedJWT parse(String token) {
        if (token == null || token.length() > 8192) {
            throw new AuthException("the token is not valid: missing or longer than 8192 characters");
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new AuthException("the token is not valid: not a signed JWT (unsigned tokens are refused)");
        }
    }

    private JWTClaimsSet verified(SignedJWT jwt, byte[] key) {
        try {
            if (!jwt.verify(new MACVerifier(key))) {
                throw new AuthException("the token is not valid: the signature does not match");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer())) {
                throw new AuthException("the token is not valid: another issuer");
            }
            Date expires = claims.getExpirationTime();
            if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
                throw new AuthException("the token expired");
            }
            return claims;
        } catch (JOSEException | ParseException e) {
            throw new AuthException("the token is not valid");
        }
    }

    static Caller caller(JWTClaimsSet claims) {
        Object role = claims.getClaim("role");
        Role parsed = role instanceof String text ? Role.parse(text) : null;
        if (claims.getSubject() == null || claims.getSubject().isBlank() || parsed == null) {
            throw new AuthException("the token has no subject or an unknown role");
        }
        Object sid = claims.getClaim("sid");
        return new Caller(claims.getSubject(), parsed, claims.getJWTID(), claims.getExpirationTime().toInstant(),
                sid instanceof String text ? text : null);
    }
}
