package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running server: readiness goes false (liveness does not), writes get 503, nothing is
 * half-written, and everything comes back when PostgreSQL does.
 */
class DatabaseOutageTest {

    @TempDir
    Path data;

    private EmbeddedPostgres postgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data.resolve("pg"))
                .setCleanDataDirectory(false).start();
    }

    @Test
    void readiness_follows_the_database_and_the_service_recovers() throws Exception {
        int pgPort = TestServers.freePort();
        EmbeddedPostgres postgres = postgres(pgPort);
        Path config = data.resolve("app-config.json");
        java.nio.file.Files.writeString(config, "{\"database\": {\"pool\": {\"acquire\": 3000}}, "
                + "\"monitoring\": {\"healthCheck\": {\"timeout\": 2000}}}");
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "METRICS_PORT", "0", "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(pgPort), "DB_NAME", "postgres", "DB_USERNAME", "postgres",
                "JWT_SECRET", "outage-secret-outage-secret-outage-0123", "CONFIG_FILE", config.toString(),
                "JWT_REFRESH_SECRET", "outage-refresh-outage-refresh-outage-01"));
        try (var pool = dev.eventfold.eventstore.postgres.PostgresPool.builder("jdbc:postgresql://127.0.0.1:" + pgPort
                + "/postgres").username("postgres").minIdle(1).maxSize(2).build()) {
            Migrations.run(pool, "eventstore");
        }
        Server server = Server.start(ServerConfig.load(env));
        try {
            Http http = new Http(server.port());
            String token = server.token("ada", Role.CUSTOMER);
            String body = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":1}]}";
            String before = http.post("/api/orders", token, body).json().get("id").asText();
            assertThat(http.get("/health/ready", null).status()).isEqualTo(200);

            postgres.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/ready", null).status() == 503);
            assertThat(http.get("/health/live", null).status()).isEqualTo(200);
            assertThat(http.get("/health", null).json().get("status").asText()).isEqualTo("unhealthy");
            Http.Response write = http.post("/api/orders", token, body);
            assertThat(write.status()).as(write.body()).isEqualTo(503);
            assertThat(write.header("Retry-After")).isEqualTo("5");

            postgres = postgres(pgPort);
            await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready", null).status() == 200);
            assertThat(http.get("/api/orders/" + before, token).status()).isEqualTo(200);
            assertThat(http.post("/api/orders", token, body).status()).isEqualTo(201);
        } finally {
            server.close();
            postgres.close();
        }
    }
}
