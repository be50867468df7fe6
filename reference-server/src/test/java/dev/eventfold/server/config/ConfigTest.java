package dev.eventfold.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @TempDir
    Path dir;

    private static final String SECRET = "test-secret-test-secret-test-secret-0123";
    private static final String REFRESH = "test-refresh-test-refresh-test-refresh-01";

    private Path seedDir() throws IOException {
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        for (String name : List.of("app-config.json", "monitoring-config.json")) {
            try (var in = ConfigTest.class.getResourceAsStream("/seed/" + name)) {
                Files.write(config.resolve(name), in.readAllBytes());
            }
        }
        return config;
    }

    private static Map<String, String> production(Path configDir) {
        Map<String, String> env = new HashMap<>();
        env.put("NODE_ENV", "production");
        env.put("DB_HOST", "db.internal");
        env.put("JWT_SECRET", SECRET);
        env.put("JWT_REFRESH_SECRET", REFRESH);
        env.put("CONFIG_DIR", configDir.toString());
        return env;
    }

    @Test
    void the_seed_config_maps_are_read_and_every_key_is_honoured() throws IOException {
        Path configDir = seedDir();
        ServerConfig config = ServerConfig.load(production(configDir));

        assertThat(config.files()).containsExactly(configDir.resolve("app-config.json"),
                configDir.resolve("monitoring-config.json"));
        assertThat(config.http()).isEqualTo(new ServerConfig.Http("0.0.0.0", 3001,
                List.of("https://app.your-domain.com", "https://admin.your-domain.com"), true, 65_536,
                Duration.ofSeconds(25), Duration.ofMinutes(15), 1000, Duration.ofSeconds(10), TrustedProxies.none()));
        ServerConfig.Database db = config.database();
        assertThat(List.of(db.poolMin(), db.poolMax(), db.retryMax())).containsExactly(5, 20, 3);
        assertThat(List.of(db.poolIdle(), db.poolAcquire(), db.retryDelay())).containsExactly(Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(db.name()).isEqualTo("order_management");
        assertThat(config.redis()).isEqualTo(new ServerConfig.Redis(null, 6379, null, false, null, "order-mgmt:",
                Duration.ofMillis(100), 3));
        assertThat(config.eventSourcing()).isEqualTo(new ServerConfig.EventSourcing(100, 1000, 50, 3, false));
        ServerConfig.Monitoring monitoring = config.monitoring();
        assertThat(monitoring.metrics()).isEqualTo(new ServerConfig.Metrics(true, 9090, "/metrics", true, true, true,
                true));
        assertThat(monitoring.health()).isEqualTo(new ServerConfig.Health(true, Duration.ofSeconds(5),
                Duration.ofSeconds(30), "/health/live", "/health/ready", "/health"));
        assertThat(monitoring.logging()).as("the template's empty environment falls back to NODE_ENV")
                .isEqualTo(new ServerConfig.Logging("warn", "order-management-backend", "v1.2.3", "production"));
        assertThat(monitoring.tracing().enabled()).isFalse();
        assertThat(monitoring.tracing().endpoint()).isNull();
        assertThat(monitoring.alerts()).isEqualTo(new ServerConfig.Alerts(true, 500, 2000, 0.01, 0.05, 0.8, 0.9, 0.7,
                0.9));
    }

    @Test
    void the_environment_wins_over_the_files() throws IOException {
        Map<String, String> env = production(seedDir());
        env.putAll(Map.of("PORT", "8080", "METRICS_PORT", "9191", "LOG_LEVEL", "debug", "REDIS_KEY_PREFIX", "env:",
                "CORS_ORIGIN", "https://a.example,https://b.example:8443 , https://a.example"));
        ServerConfig config = ServerConfig.load(env);
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.monitoring().metrics().port()).isEqualTo(9191);
        assertThat(config.monitoring().logging().level()).isEqualTo("debug");
        assertThat(config.redis().keyPrefix()).isEqualTo("env:");
        assertThat(config.http().corsOrigins()).containsExactly("https://a.example", "https://b.example:8443");
    }

    @Test
    void defaults_are_the_seeds_without_any_file() {
        ServerConfig config = ServerConfig.load(Map.of("EVENTFOLD_DATA_DIR", dir.toString()));
        assertThat(config.embedded()).isTrue();
        assertThat(config.environment()).isEqualTo("development");
        assertThat(config.files()).isEmpty();
        assertThat(config.http().port()).isEqualTo(3001);
        assertThat(config.http().corsOrigins()).isEmpty();
        assertThat(config.database().name()).isEqualTo("order_management");
        assertThat(config.redis().keyPrefix()).isEqualTo("order-mgmt:");
        assertThat(config.eventSourcing().eventBatchSize()).isEqualTo(50);
        assertThat(config.monitoring().logging().service()).isEqualTo("order-management-backend");
        assertThat(config.auth().jwtExpiry()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void every_problem_of_the_files_is_reported_at_once_naming_the_file_and_the_key() throws IOException {
        Path app = dir.resolve("app.json");
        Files.writeString(app, """
                {"server": {"port": "3001", "cors": {"origin": "https://a.example", "credential": true}},
                 "database": {"pool": {"min": 30, "max": 8, "idleTimeoutMillis": 1}, "retry": {"max": -1}},
                 "redis": {"keyPrefix": "has space"},
                 "eventSourcing": {"eventBatchSize": 5000, "snapshotFrequency": 1.5},
                 "monitoring": {"metrics": {"port": 9091}, "healthCheck": 5000},
                 "cache": {}}""");
        Path monitoring = dir.resolve("monitoring.json");
        Files.writeString(monitoring, """
                {"metrics": {"port": 9090, "path": "metrics", "collect": {"defaultMetrics": "yes"}},
                 "logging": {"level": "loud", "format": "text"},
                 "tracing": {"enabled": true, "endpoint": "not a url"},
                 "alerts": {"thresholds": {"cpuUsage": {"warning": 0.95, "critical": 0.9}, "errorRate": {"critical": 2}}}}
                """);
        Map<String, String> env = Map.of("CONFIG_FILE", app.toString(), "MONITORING_CONFIG_FILE",
                monitoring.toString(), "EVENTFOLD_DATA_DIR", dir.toString());
        assertThatThrownBy(() -> ServerConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(app + ": server.port must be a whole number from 0 to 65535, was \"3001\"")
                .hasMessageContaining(app + ": server.cors.origin must be an array of strings")
                .hasMessageContaining(app + ": unknown key 'server.cors.credential'")
                .hasMessageContaining(app + ": database.pool.min (30) must not exceed database.pool.max (8)")
                .hasMessageContaining(app + ": unknown key 'database.pool.idleTimeoutMillis'")
                .hasMessageContaining(app + ": database.retry.max must be a whole number from 0 to 100, was -1")
                .hasMessageContaining(app + ": redis.keyPrefix must be 1 to 64 characters")
                .hasMessageContaining(app + ": eventSourcing.eventBatchSize (5000) must not exceed")
                .hasMessageContaining(app + ": eventSourcing.snapshotFrequency must be a whole number")
                .hasMessageContaining(app + ": monitoring.healthCheck must be an object, was 5000")
                .hasMessageContaining(app + ": unknown key 'cache'")
                .hasMessageContaining("app-config.json monitoring.metrics.port (9091) and monitoring-config.json "
                        + "metrics.port (9090) disagree")
                .hasMessageContaining(monitoring + ": metrics.path must be a path such as \"/health\"")
                .hasMessageContaining(monitoring + ": metrics.collect.defaultMetrics must be true or false")
                .hasMessageContaining(monitoring + ": logging.level must be one of \"error\", \"warn\"")
                .hasMessageContaining(monitoring + ": logging.format must be one of \"json\", was \"text\"")
                .hasMessageContaining(monitoring + ": tracing.endpoint must be an http or https URL")
                .hasMessageContaining(monitoring + ": alerts.thresholds.cpuUsage.warning (0.95) must not exceed")
                .hasMessageContaining(monitoring + ": alerts.thresholds.errorRate.critical must be a number from 0.0 "
                        + "to 1.0, was 2");
        assertThatThrownBy(() -> ServerConfig.load(env)).message().as("a bad endpoint is not reported as empty")
                .doesNotContain("tracing.enabled is true, but");
        Files.writeString(monitoring, "{\"tracing\": {\"enabled\": true, \"endpoint\": \"\"}}");
        Map<String, String> tracingOnly = Map.of("MONITORING_CONFIG_FILE", monitoring.toString(),
                "EVENTFOLD_DATA_DIR", dir.toString());
        assertThatThrownBy(() -> ServerConfig.load(tracingOnly)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(monitoring + ": tracing.enabled is true, but tracing.endpoint is empty");
    }

    @Test
    void broken_files_are_named_with_the_place_of_the_error() throws IOException {
        Path duplicate = dir.resolve("duplicate.json");
        Files.writeString(duplicate, "{\"server\": {\"port\": 1}, \"server\": {\"port\": 2}}");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"server\": {\"port\": 1,}\n}");
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("CONFIG_FILE", duplicate.toString(),
                "MONITORING_CONFIG_FILE", broken.toString(), "EVENTFOLD_DATA_DIR", dir.toString())))
                .hasMessageContaining(duplicate + ": not valid JSON (line 1").hasMessageContaining("Duplicate field "
                        + "'server'")
                .hasMessageContaining(broken + ": not valid JSON (line 2");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("CONFIG_FILE", array.toString())))
                .hasMessageContaining(array + ": expected a JSON object at the top level");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("CONFIG_FILE", "/no/such/app-config.json",
                "CONFIG_DIR", "/no/such/dir")))
                .hasMessageContaining("/no/such/app-config.json: file not found")
                .hasMessageContaining("CONFIG_DIR='/no/such/dir': expected an existing directory");
    }

    @Test
    void bad_environment_is_reported_all_at_once_with_secrets_masked() {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "70000", "DB_HOST", "db", "JWT_SECRET", "short",
                "LOG_LEVEL", "loud", "JWT_EXPIRY", "forever", "DB_PASSWORD", "hunter2", "CORS_ORIGIN",
                "https://ok.example,*,https://x.example/path", "DB_SSL_CERT", "-----BEGIN CERTIFICATE-----\nnope",
                "REDIS_TLS_CERT", "/no/such/ca.pem", "NODE_ENV", "Prod!"));
        env.put("JWT_REFRESH_SECRET", "short-too");
        assertThatThrownBy(() -> ServerConfig.load(env)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("10 problems")
                .hasMessageContaining("PORT='70000': expected a whole number from 0 to 65535")
                .hasMessageContaining("JWT_SECRET=****: expected at least 32 characters")
                .hasMessageContaining("JWT_REFRESH_SECRET=****: expected at least 32 characters")
                .hasMessageContaining("LOG_LEVEL='loud': expected one of error, warn, info, debug, trace")
                .hasMessageContaining("JWT_EXPIRY='forever'")
                .hasMessageContaining("CORS_ORIGIN='*': expected an explicit origin")
                .hasMessageContaining("CORS_ORIGIN='https://x.example/path': expected an origin such as")
                .hasMessageContaining("DB_SSL_CERT=****: expected an X.509 certificate in PEM form")
                .hasMessageContaining("REDIS_TLS_CERT=****: expected PEM text")
                .hasMessageContaining("NODE_ENV='Prod!'")
                .hasMessageNotContaining("short").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("DB_HOST", "db")))
                .hasMessageContaining("JWT_SECRET=(unset): expected set when DB_HOST is set")
                .hasMessageContaining("JWT_REFRESH_SECRET=(unset): expected set when DB_HOST is set");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("NODE_ENV", "production")))
                .hasMessageContaining("DB_HOST=(unset): expected set when NODE_ENV=production");
        assertThatThrownBy(() -> ServerConfig.load(Map.of("JWT_SECRET", SECRET, "JWT_REFRESH_SECRET", SECRET)))
                .hasMessageContaining("JWT_REFRESH_SECRET=****: expected a key other than JWT_SECRET");
    }

    @Test
    void every_variable_the_code_reads_is_listed_and_every_listed_one_is_read() throws IOException {
        for (Map<String, String> env : List.of(Map.<String, String>of(), production(seedDir()))) {
            ConfigLoader loader = new ConfigLoader(env);
            loader.load();
            assertThat(loader.variablesRead()).isEqualTo(new TreeSet<>(ServerConfig.VARIABLES));
        }
    }

    @Test
    void the_configuration_guide_documents_every_variable_and_every_file_key() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "configuration.md"));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|").matcher(guide);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).as("variables in docs/configuration.md").isEqualTo(new TreeSet<>(
                ServerConfig.VARIABLES));

        Set<String> keys = new TreeSet<>();
        Matcher key = Pattern.compile("(?m)^\\| `([a-z][A-Za-z.]+)` \\|").matcher(guide);
        while (key.find()) {
            keys.add(key.group(1));
        }
        Set<String> seedKeys = new TreeSet<>();
        for (String name : List.of("app-config.json", "monitoring-config.json")) {
            try (var in = ConfigTest.class.getResourceAsStream("/seed/" + name)) {
                leaves("", new com.fasterxml.jackson.databind.ObjectMapper().readTree(in), seedKeys);
            }
        }
        assertThat(keys).as("file keys in docs/configuration.md").containsAll(seedKeys);
    }

    private static void leaves(String prefix, com.fasterxml.jackson.databind.JsonNode node, Set<String> into) {
        if (!node.isObject()) {
            into.add(prefix);
            return;
        }
        node.fields().forEachRemaining(f -> leaves(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                f.getValue(), into));
    }
}
