package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Sessions across two replicas sharing one Redis: a refresh rotates, reusing an old refresh token ends the session
 * everywhere, logout on one replica ends the session on the other, and tokens of one kind never pass as the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest {

    private final String schema = TestServers.migratedSchema("sess");
    private Process redis;
    private Server one;
    private Server two;
    private Http a;
    private Http b;

    @BeforeAll
    void start() throws Exception {
        int redisPort = TestServers.freePort();
        redis = TestServers.redis(redisPort);
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", Integer.toString(redisPort));
        one = Server.start(ServerConfig.load(env));
        two = Server.start(ServerConfig.load(env));
        a = new Http(one.port());
        b = new Http(two.port());
    }

    @AfterAll
    void stop() throws Exception {
        two.close();
        one.close();
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        TestServers.dropSchema(schema);
    }

    private JsonNode session(String subject) {
        Http.Response started = a.post("/api/sessions", one.token(subject, Role.CUSTOMER), null);
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.header("Cache-Control")).isEqualTo("no-store");
        return started.json();
    }

    private Http.Response refresh(Http http, String refreshToken) {
        return http.post("/api/sessions/refresh", null, "{\"refreshToken\":\"" + refreshToken + "\"}");
    }

    @Test
    void a_refresh_rotates_and_reusing_the_old_refresh_token_ends_the_session_on_every_replica() {
        JsonNode first = session("ada-" + UUID.randomUUID());
        assertThat(first.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(first.get("expiresIn").asLong()).isEqualTo(Duration.ofHours(24).toSeconds());
        String access = first.get("accessToken").asText();
        assertThat(b.get("/api/orders", access).status()).as("the other replica knows the session").isEqualTo(200);

        Http.Response rotated = refresh(b, first.get("refreshToken").asText());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        JsonNode second = rotated.json();
        assertThat(second.get("sessionId").asText()).isEqualTo(first.get("sessionId").asText());
        assertThat(second.get("refreshToken").asText()).isNotEqualTo(first.get("refreshToken").asText());
        assertThat(a.get("/api/orders", second.get("accessToken").asText()).status()).isEqualTo(200);

        Http.Response reused = refresh(a, first.get("refreshToken").asText());
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.json().get("detail").asText()).contains("already used").contains("session was ended");
        for (Http replica : new Http[] {a, b}) {
            assertThat(replica.get("/api/orders", second.get("accessToken").asText()).status())
                    .as("every token of the session is dead").isEqualTo(401);
            assertThat(replica.get("/api/orders", access).status()).isEqualTo(401);
        }
        assertThat(refresh(b, second.get("refreshToken").asText()).status()).as("the newest refresh too")
                .isEqualTo(401);
    }

    @Test
    void logout_on_one_replica_ends_the_session_on_the_other() {
        JsonNode pair = session("bob-" + UUID.randomUUID());
        String access = pair.get("accessToken").asText();
        assertThat(b.get("/api/orders", access).status()).isEqualTo(200);
        assertThat(a.send("DELETE", "/api/sessions/current", access, null, null).status()).isEqualTo(204);
        assertThat(b.get("/api/orders", access).status()).isEqualTo(401);
        Http.Response refreshed = refresh(b, pair.get("refreshToken").asText());
        assertThat(refreshed.status()).isEqualTo(401);
        assertThat(refreshed.json().get("detail").asText()).contains("session ended");
    }

    @Test
    void refresh_and_access_tokens_never_pass_as_each_other_and_bad_refresh_input_is_specific() {
        JsonNode pair = session("cy-" + UUID.randomUUID());
        Http.Response refreshAsAccess = b.get("/api/orders", pair.get("refreshToken").asText());
        assertThat(refreshAsAccess.status()).isEqualTo(401);
        assertThat(refresh(a, pair.get("accessToken").asText()).status()).isEqualTo(401);
        assertThat(refresh(a, "garbage").json().get("detail").asText()).contains("not a signed JWT");
        Http.Response missing = a.post("/api/sessions/refresh", null, "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("refreshToken");
        assertThat(a.post("/api/sessions/dev", null, "{\"subject\":\"x\",\"role\":\"admin\"}").status())
                .as("no dev sign-in outside the embedded dev mode").isEqualTo(404);
        assertThat(refresh(a, pair.get("refreshToken").asText()).status()).as("the real one still works")
                .isEqualTo(200);
    }
}
