package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS to PostgreSQL ({@code DB_SSL_CERT}, verify-full) and to Redis ({@code REDIS_TLS_CERT}, rediss) against local
 * servers started with throwaway certificates made by {@code openssl}: the right CA connects over TLS, another CA is
 * refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {

    private Path dir;

    private EmbeddedPostgres postgres;
    private Process redis;
    private int redisPort;
    private String ca;
    private String otherCa;

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tls-test");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=eventfold-test-ca");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem", "-days",
                "2", "-subj", "/CN=someone-else");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=localhost");
        Files.writeString(dir.resolve("ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "ext");
        Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        ca = Files.readString(dir.resolve("ca.pem"));
        otherCa = Files.readString(dir.resolve("other.pem"));

        postgres = EmbeddedPostgres.builder().setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", dir.resolve("server.pem").toString())
                .setServerConfig("ssl_key_file", dir.resolve("server.key").toString()).start();

        try (var pool = dev.eventfold.eventstore.postgres.PostgresPool.builder(postgres.getJdbcUrl("postgres",
                "postgres")).username("postgres").minIdle(1).maxSize(2).build()) {
            Migrations.run(pool, "eventstore"); // what the chart's init container does
        }
        redisPort = TestServers.freePort();
        redis = TestServers.redis(redisPort, "--port", "0", "--tls-port", Integer.toString(redisPort),
                "--tls-cert-file", dir.resolve("server.pem").toString(), "--tls-key-file",
                dir.resolve("server.key").toString(), "--tls-ca-cert-file", dir.resolve("ca.pem").toString(),
                "--tls-auth-clients", "no", "--requirepass", "redis-secret-1");
    }

    @AfterAll
    void stop() throws Exception {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
        if (postgres != null) {
            postgres.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Map<String, String> env(String dbCa, String redisCa) throws IOException {
        Path config = dir.resolve("app-config.json");
        Files.writeString(config, "{\"database\": {\"retry\": {\"max\": 0}}}");
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "METRICS_PORT", "0", "DB_HOST", "localhost",
                "DB_PORT", Integer.toString(postgres.getPort()), "DB_NAME", "postgres", "DB_USERNAME", "postgres",
                "JWT_SECRET", "tls-secret-tls-secret-tls-secret-012345", "JWT_REFRESH_SECRET",
                "tls-refresh-tls-refresh-tls-refresh-0123", "CONFIG_FILE", config.toString()));
        env.put("DB_SSL_CERT", dbCa);
        env.put("REDIS_HOST", "localhost");
        env.put("REDIS_PORT", Integer.toString(redisPort));
        env.put("REDIS_PASSWORD", "redis-secret-1");
        env.put("REDIS_TLS_CERT", redisCa);
        return env;
    }

    @Test
    void postgres_is_reached_over_verified_tls_and_another_ca_is_refused() throws Exception {
        ServerConfig config = ServerConfig.load(env(ca, ca));
        String url = Database.url(config.database());
        assertThat(url).contains("sslmode=verify-full");
        Properties user = new Properties();
        user.setProperty("user", "postgres");
        try (Connection connection = DriverManager.getConnection(url, user);
                ResultSet ssl = connection.createStatement().executeQuery(
                        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(ssl.next()).isTrue();
            assertThat(ssl.getBoolean(1)).as("the session is encrypted").isTrue();
        }
        try (Server server = Server.start(config)) {
            Http http = new Http(server.port());
            String token = server.token("ada", Role.CUSTOMER);
            Http.Response created = http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p\","
                    + "\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            var health = http.get("/health", null).json();
            assertThat(health.get("dependencies").get("database").get("status").asText()).isEqualTo("healthy");
            assertThat(health.get("dependencies").get("redis").get("status").asText()).as("rediss with the CA")
                    .isEqualTo("healthy");
            assertThat(http.send("DELETE", "/api/sessions/current", token, null, null).status())
                    .as("logout written to Redis over TLS").isEqualTo(204);
        }

        assertThatThrownBy(() -> Server.start(ServerConfig.load(env(otherCa, ca))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL at localhost:" + postgres.getPort() + "/postgres is unreachable "
                        + "after 1 attempt").hasMessageContaining("SSL");
    }

    @Test
    void redis_with_a_certificate_of_another_ca_is_unhealthy_and_the_server_degrades() throws Exception {
        try (Server server = Server.start(ServerConfig.load(env(ca, otherCa)))) {
            Http http = new Http(server.port());
            var health = http.get("/health", null).json();
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.get("dependencies").get("redis").get("status").asText()).isEqualTo("unhealthy");
            assertThat(health.get("dependencies").get("redis").get("error").asText()).doesNotContain("redis-secret");
        }
    }
}
