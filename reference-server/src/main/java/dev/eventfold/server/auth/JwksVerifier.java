package dev.eventfold.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.URL;
import java.util.Collection;
import java.util.Set;

/**
 * Access tokens of an identity provider (Cognito, Keycloak, ...): RS256 or ES256, signed by a key of the provider's
 * JWKS (fetched from {@code JWT_JWKS_URL}, cached, fetched again for an unknown {@code kid} at most every 30 s), with
 * {@code iss} equal to {@code JWT_ISSUER}, {@code aud} containing {@code JWT_AUDIENCE}, {@code sub} and {@code exp}
 * present and not expired. The role comes from {@code JWT_ROLE_CLAIM}: a string ({@code customer}, {@code admin}) or
 * a list of groups (admin if it holds {@code admin}, else customer if it holds {@code customer}).
 */
public final class JwksVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String roleClaim;

    /**
     * @param jwks the JWKS URL
     * @param issuer the required issuer
     * @param audience the required audience
     * @param roleClaim the claim holding the role or groups
     */
    public JwksVerifier(URI jwks, String issuer, String audience, String roleClaim) {
        this.roleClaim = roleClaim;
        URL url;
        try {
            url = jwks.toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("JWT_JWKS_URL is not a URL", e);
        }
        JWKSource<SecurityContext> source = JWKSourceBuilder.create(url, new DefaultResourceRetriever(2000, 2000,
                512 * 1024)).rateLimited(30_000).build();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                source));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    Caller verify(SignedJWT jwt) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage();
            throw new AuthException("the token is not valid: " + (reason.contains("xpired") ? "it expired"
                    : reason.contains("key") ? "no key of the identity provider's JWKS matches its kid and algorithm"
                    : reason.length() > 120 ? reason.substring(0, 120) : reason));
        } catch (JOSEException e) {
            throw new AuthException("the token could not be checked: the identity provider's keys are unavailable");
        }
        Role role = role(claims.getClaim(roleClaim));
        if (role == null) {
            throw new AuthException("the token's claim '" + roleClaim + "' names no role (customer or admin)");
        }
        return new Caller(claims.getSubject(), role, claims.getJWTID(), claims.getExpirationTime().toInstant(), null);
    }

    private static Role role(Object claim) {
        if (claim instanceof String text) {
            return Role.parse(text);
        }
        if (claim instanceof Collection<?> groups) {
            return groups.contains("admin") ? Role.ADMIN : groups.contains("customer") ? Role.CUSTOMER : null;
        }
        return null;
    }
}
