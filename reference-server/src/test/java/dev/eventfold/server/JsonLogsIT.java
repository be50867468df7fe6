package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's real standard output: one JSON object per line, with the seed's fields and the level set. */
class JsonLogsIT {

    @TempDir
    Path dir;

    @Test
    void every_line_is_json_with_service_version_environment_and_the_request_carries_its_correlation_id()
            throws Exception {
        String schema = "logs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
        int port = TestServers.freePort();
        env.put("PORT", Integer.toString(port));
        env.put("METRICS_PORT", Integer.toString(TestServers.freePort()));
        env.put("NODE_ENV", "staging");
        env.put("APP_VERSION", "9.8.7");
        env.put("LOG_LEVEL", "debug");
        Path log = dir.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", new File("target/reference-server.jar").getAbsolutePath()));
        try (HikariDataSource pool = PostgresPool.builder("jdbc:postgresql://" + ServerTest.HOST + ":5432/postgres")
                .username(ServerTest.USER).password(ServerTest.PASSWORD).minIdle(1).maxSize(2).build()) {
            Migrations.run(pool, schema);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process server = builder.start();
            try {
                Http http = new Http(port);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    try {
                        return http.get("/health/ready", null).status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                Http.Response response = http.send("GET", "/api/orders", null, null, null, "X-Correlation-Id",
                        "trace-me-42");
                assertThat(response.status()).isEqualTo(401);
            } finally {
                server.destroy();
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
                try (Connection connection = pool.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSizeGreaterThan(3);
        ObjectMapper json = new ObjectMapper();
        boolean sawRequest = false;
        boolean sawDebug = false;
        for (String line : lines) {
            JsonNode entry = json.readTree(line); // throws on any line that is not JSON
            assertThat(entry.get("service").asText()).as(line).isEqualTo("order-management-backend");
            assertThat(entry.get("version").asText()).as(line).isEqualTo("9.8.7");
            assertThat(entry.get("environment").asText()).as(line).isEqualTo("staging");
            assertThat(entry.has("@timestamp") && entry.has("level") && entry.has("message")).as(line).isTrue();
            sawDebug |= entry.get("level").asText().equals("DEBUG");
            if (entry.get("message").asText().startsWith("GET /api/orders 401")) {
                sawRequest = true;
                assertThat(entry.get("correlationId").asText()).isEqualTo("trace-me-42");
            }
        }
        assertThat(sawDebug).as("LOG_LEVEL=debug is applied").isTrue();
        assertThat(sawRequest).as("the request line with its correlation id").isTrue();
        assertThat(lines).anyMatch(l -> l.contains("reference-server stopped"));
    }
}
