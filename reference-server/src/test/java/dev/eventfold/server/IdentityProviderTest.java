package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.server.auth.AuthException;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.auth.JwksVerifier;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tokens of an identity provider (RS256, ES256) verified against a JWKS this test serves on loopback, with issuer
 * and audience checks; and what must never pass: {@code alg: none}, HMAC over the provider's public key (algorithm
 * confusion), unknown {@code kid}s, other algorithms, wrong issuer or audience, expired tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityProviderTest {

    private static final String ISSUER = "https://idp.example/realms/shop";
    private static final String AUDIENCE = "order-console";
    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private HttpServer jwks;
    private final AtomicInteger fetches = new AtomicInteger();
    private RSAKey rsa;
    private ECKey ec;
    private RSAKey stranger;
    private Tokens tokens;
    private URI jwksUrl;

    @BeforeAll
    void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-9").generate();
        byte[] published = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()
                .getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, published.length);
            exchange.getResponseBody().write(published);
            exchange.close();
        });
        jwks.start();
        jwksUrl = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
        tokens = new Tokens(SECRET, "test-refresh-test-refresh-test-refresh-01", Duration.ofHours(1),
                Duration.ofDays(1), Clock.systemUTC(), new JwksVerifier(jwksUrl, ISSUER, AUDIENCE, "role"));
    }

    @AfterAll
    void stop() {
        jwks.stop(0);
    }

    private static String token(JWSAlgorithm algorithm, String kid, JWSSigner signer, JWTClaimsSet claims)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(Object role) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("user-42").claim("role", role)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    @Test
    void rs256_and_es256_tokens_of_the_provider_are_accepted_with_their_role() throws Exception {
        Caller admin = tokens.verify(token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), claims("admin")
                .build()));
        assertThat(admin.subject()).isEqualTo("user-42");
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.sessionId()).isNull();
        Caller customer = tokens.verify(token(JWSAlgorithm.ES256, "ec-1", new ECDSASigner(ec),
                claims(List.of("staff", "customer")).build()));
        assertThat(customer.role()).as("groups: customer").isEqualTo(Role.CUSTOMER);
    }

    @Test
    void what_must_never_pass_is_refused_with_a_reason() throws Exception {
        record Case(String name, String token, String reason) {
        }
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims("admin").build().toString().getBytes(StandardCharsets.UTF_8));
        List<Case> cases = List.of(
                new Case("alg none", header + "." + body + ".", "unsigned tokens are refused"),
                new Case("HMAC keyed with the provider's public key (algorithm confusion)", token(JWSAlgorithm.HS256,
                        "rsa-1", new MACSigner(rsa.toPublicKey().getEncoded()), claims("admin").build()),
                        "signature does not match"),
                new Case("unknown kid", token(JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(stranger),
                        claims("admin").build()), "no key of the identity provider's JWKS"),
                new Case("known kid, other key", token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(stranger),
                        claims("admin").build()), "not valid"),
                new Case("wrong audience", token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa),
                        claims("admin").audience("someone-else").build()), "not valid"),
                new Case("wrong issuer", token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa),
                        claims("admin").issuer("https://evil.example").build()), "not valid"),
                new Case("expired", token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), claims("admin")
                        .expirationTime(Date.from(Instant.now().minusSeconds(600))).build()), "expired"),
                new Case("no role", token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), claims("root").build()),
                        "names no role"),
                new Case("HS384", token(JWSAlgorithm.HS384, null, new MACSigner((SECRET + SECRET)
                        .getBytes(StandardCharsets.UTF_8)), claims("admin").build()), "HS384 are not accepted"));
        for (Case c : cases) {
            assertThatThrownBy(() -> tokens.verify(c.token())).as(c.name()).isInstanceOf(AuthException.class)
                    .hasMessageContaining(c.reason());
        }
        Tokens withoutProvider = new Tokens(SECRET, "test-refresh-test-refresh-test-refresh-01", Duration.ofHours(1),
                Duration.ofDays(1), Clock.systemUTC(), null);
        assertThatThrownBy(() -> withoutProvider.verify(token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa),
                claims("admin").build()))).hasMessageContaining("only with JWT_JWKS_URL set");
        int before = fetches.get();
        String unknown = token(JWSAlgorithm.RS256, "rsa-9", new RSASSASigner(stranger), claims("admin").build());
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> tokens.verify(unknown)).isInstanceOf(AuthException.class);
        }
        assertThat(fetches.get() - before).as("unknown kids do not hammer the provider").isLessThanOrEqualTo(2);
    }

    @Test
    void the_server_accepts_the_providers_tokens_when_configured() throws Exception {
        String schema = "idp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        env.put("JWT_JWKS_URL", jwksUrl.toString());
        env.put("JWT_ISSUER", ISSUER);
        env.put("JWT_AUDIENCE", AUDIENCE);
        try (HikariDataSource pool = PostgresPool.builder("jdbc:postgresql://" + ServerTest.HOST + ":5432/postgres")
                .username(ServerTest.USER).password(ServerTest.PASSWORD).minIdle(1).maxSize(2).build()) {
            Migrations.run(pool, schema);
            try (Server server = Server.start(ServerConfig.load(env))) {
                Http http = new Http(server.port());
                String token = token(JWSAlgorithm.RS256, "rsa-1", new RSASSASigner(rsa), claims("customer").build());
                Http.Response created = http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p\","
                        + "\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                assertThat(created.json().get("customerId").asText()).isEqualTo("user-42");
                Http.Response session = http.post("/api/sessions", token, null);
                assertThat(session.status()).as("a server session from the provider's token").isEqualTo(201);
                Http.Response forged = http.get("/api/orders", token(JWSAlgorithm.RS256, "rsa-9",
                        new RSASSASigner(stranger), claims("admin").build()));
                assertThat(forged.status()).isEqualTo(401);
            } finally {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        assertThatThrownBy(() -> ServerConfig.load(Map.of("JWT_JWKS_URL", jwksUrl.toString())))
                .hasMessageContaining("JWT_ISSUER=(unset): expected set when JWT_JWKS_URL is set");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("JWT_JWKS_URL", "http://idp.example/jwks", "JWT_ISSUER",
                ISSUER, "JWT_AUDIENCE", AUDIENCE))).hasMessageContaining("expected an https URL");
    }
}
