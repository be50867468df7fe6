package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rate limits and logout through a real Redis that this test starts on a free port, stops and starts again: the
 * service keeps serving while Redis is gone, reports it, and recovers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTest {

    private final String schema = TestServers.migratedSchema("srv");
    private int redisPort;
    private Process redis;
    private Server server;
    private Http http;

    private void startRedis() throws Exception {
        redis = TestServers.redis(redisPort);
    }

    private void stopRedis() throws Exception {
        redis.destroy();
        assertThat(redis.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @BeforeAll
    void start() throws Exception {
        redisPort = TestServers.freePort();
        startRedis();
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", Integer.toString(redisPort));
        env.put("RATE_LIMIT_MAX", "5");
        env.put("RATE_LIMIT_WINDOW", "600000");
        server = Server.start(ServerConfig.load(env));
        http = new Http(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        redis.destroy();
        TestServers.dropSchema(schema);
    }

    @Test
    void a_client_over_its_limit_gets_429_with_retry_after_and_others_are_unaffected() {
        String token = server.token("limited-" + UUID.randomUUID(), Role.CUSTOMER);
        for (int i = 0; i < 5; i++) {
            Http.Response ok = http.get("/api/orders", token);
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("5");
            assertThat(ok.header("RateLimit-Remaining")).isEqualTo(Integer.toString(4 - i));
        }
        Http.Response limited = http.get("/api/orders", token);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 600L);
        assertThat(limited.json().get("detail").asText()).contains("rate limit of 5 requests per 600 s exceeded");
        String other = server.token("other-" + UUID.randomUUID(), Role.CUSTOMER);
        assertThat(http.get("/api/orders", other).status()).isEqualTo(200);
    }

    @Test
    void logout_revokes_the_token_and_survives_a_redis_outage_and_return() throws Exception {
        String token = server.token("leaving-" + UUID.randomUUID(), Role.CUSTOMER);
        assertThat(http.get("/api/orders", token).status()).isEqualTo(200);
        assertThat(http.send("DELETE", "/api/sessions/current", token, null, null).status()).isEqualTo(204);
        Http.Response after = http.get("/api/orders", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asText()).isEqualTo("the token was revoked (logged out, or its session ended)");

        stopRedis();
        try {
            String during = server.token("during-" + UUID.randomUUID(), Role.CUSTOMER);
            Http.Response served = http.post("/api/orders", during, "{\"items\":[{\"productId\":\"p\","
                    + "\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
            assertThat(served.status()).as("writes go on without Redis").isEqualTo(201);
            assertThat(served.header("RateLimit-Limit")).as("per-replica limits meanwhile").isEqualTo("5");
            assertThat(http.get("/api/orders", token).status()).as("a revocation this replica knows holds")
                    .isEqualTo(401);
            Http.Response health = http.get("/health", null);
            assertThat(health.json().get("status").asText()).isEqualTo("degraded");
            assertThat(health.json().get("dependencies").get("redis").get("status").asText()).isEqualTo("unhealthy");
            assertThat(http.get("/health/ready", null).status()).as("Redis does not gate readiness").isEqualTo(200);
            assertThat(http.send("DELETE", "/api/sessions/current", during, null, null).status()).isEqualTo(503);
        } finally {
            startRedis();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "healthy".equals(http.get("/health", null).json()
                .get("status").asText()));
        String back = server.token("back-" + UUID.randomUUID(), Role.CUSTOMER);
        assertThat(http.send("DELETE", "/api/sessions/current", back, null, null).status()).isEqualTo(204);
        assertThat(http.get("/api/orders", back).status()).isEqualTo(401);
    }
}
