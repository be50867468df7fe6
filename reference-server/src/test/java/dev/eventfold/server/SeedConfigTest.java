package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's two ConfigMap files, verbatim with the template filled in, start the server as the chart mounts them. */
class SeedConfigTest {

    @TempDir
    Path dir;

    @Test
    void the_seed_config_maps_start_the_server() throws IOException, Exception {
        for (String name : List.of("app-config.json", "monitoring-config.json")) {
            try (var in = SeedConfigTest.class.getResourceAsStream("/seed/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        String schema = "seed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        env.remove("CORS_ORIGIN"); // the ConfigMap's list and credentials apply
        env.put("NODE_ENV", "production");
        env.put("CONFIG_DIR", dir.toString());
        try (HikariDataSource pool = PostgresPool.builder("jdbc:postgresql://" + ServerTest.HOST + ":5432/postgres")
                .username(ServerTest.USER).password(ServerTest.PASSWORD).minIdle(1).maxSize(2).build()) {
            Migrations.run(pool, schema);
            try (Server server = Server.start(ServerConfig.load(env))) {
                Http http = new Http(server.port());
                Http.Response preflight = http.send("OPTIONS", "/api/orders", null, null, null, "Origin",
                        "https://admin.your-domain.com", "Access-Control-Request-Method", "POST");
                assertThat(preflight.status()).isEqualTo(204);
                assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.your-domain.com");
                assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
                String token = server.token("ada", Role.CUSTOMER);
                Http.Response created = http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p\","
                        + "\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                assertThat(http.get("/health/live", null).status()).isEqualTo(200);
                assertThat(http.get("/health/ready", null).status()).isEqualTo(200);
                assertThat(http.get("/health", null).json().get("status").asText()).isEqualTo("healthy");
                Http.Response metrics = new Http(server.metricsPort()).get("/metrics", null);
                assertThat(metrics.body()).contains("http_requests_total{method=\"POST\",route=\"/api/orders\","
                        + "status_code=\"201\"}").contains("alert_threshold{metric=\"cpuUsage\",severity=\"warning\"} 0.7");
            } finally {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }
}
