package dev.eventfold.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's settings, read from the environment with the seed's names (see {@code docs/configuration.md}). Every
 * bad variable is reported at once, with its masked value and the expected form. Immutable.
 *
 * @param port HTTP port ({@code PORT}, 3001)
 * @param metricsPort metrics port ({@code METRICS_PORT}, 9090)
 * @param dbHost database host ({@code DB_HOST}); {@code null} starts the embedded PostgreSQL
 * @param dbPort database port ({@code DB_PORT}, 5432)
 * @param dbName database name ({@code DB_NAME}, {@code orders})
 * @param dbUsername database user ({@code DB_USERNAME}, {@code postgres})
 * @param dbPassword database password ({@code DB_PASSWORD})
 * @param schema the event store schema ({@code EVENTSTORE_SCHEMA}, {@code eventstore})
 * @param logLevel log level ({@code LOG_LEVEL}, {@code info})
 * @param corsOrigin allowed CORS origin ({@code CORS_ORIGIN}), {@code null} for none
 * @param jwtSecret HS256 secret ({@code JWT_SECRET}), at least 32 characters; {@code null} only in embedded mode
 * @param jwtExpiry token lifetime ({@code JWT_EXPIRY}, 24h)
 * @param appVersion the version reported ({@code APP_VERSION}, {@code dev})
 * @param dataDir where the embedded mode keeps PostgreSQL data and its generated secret ({@code EVENTFOLD_DATA_DIR},
 *     {@code ~/.eventfold})
 * @param shutdownGrace how long shutdown waits for in-flight work ({@code SHUTDOWN_GRACE_SECONDS}, 25)
 * @param maxBodyBytes the largest request body ({@code MAX_BODY_BYTES}, 65536)
 * @param redisHost Redis host ({@code REDIS_HOST}); {@code null} uses in-process substitutes
 * @param redisPort Redis port ({@code REDIS_PORT}, 6379)
 * @param redisPassword Redis password ({@code REDIS_PASSWORD})
 * @param redisKeyPrefix prefix of every Redis key ({@code REDIS_KEY_PREFIX}, {@code orders:})
 * @param rateLimitWindow the rate-limit window ({@code RATE_LIMIT_WINDOW}, milliseconds, 900000)
 * @param rateLimitMax requests per client and window ({@code RATE_LIMIT_MAX}, 1000)
 * @param tuning the settings of the optional JSON file ({@code CONFIG_FILE})
 */
public record ServerConfig(int port, int metricsPort, String dbHost, int dbPort, String dbName, String dbUsername,
        String dbPassword, String schema, String logLevel, String corsOrigin, String jwtSecret, Duration jwtExpiry,
        String appVersion, Path dataDir, Duration shutdownGrace, long maxBodyBytes, String redisHost, int redisPort,
        String redisPassword, String redisKeyPrefix, Duration rateLimitWindow, int rateLimitMax, Tuning tuning) {

    /**
     * The settings of the optional JSON file named by {@code CONFIG_FILE} (the seed's {@code app-config.json} keys).
     * Unknown keys are errors. Immutable.
     *
     * @param poolMin {@code database.pool.min} (5)
     * @param poolMax {@code database.pool.max} (20)
     * @param poolIdleTimeout {@code database.pool.idleTimeoutMillis} (10000, at least 10000)
     * @param poolAcquireTimeout {@code database.pool.acquireTimeoutMillis} (60000)
     * @param commandMaxAttempts {@code retry.maxAttempts}: decisions per command on version conflicts (3)
     * @param snapshotFrequency {@code eventStore.snapshotFrequency} (100; 0 = never)
     * @param maxEventsPerRead {@code eventStore.maxEventsPerRead} (1000)
     * @param eventBatchSize {@code eventStore.eventBatchSize}: events per read-model transaction (100)
     * @param metricsEnabled {@code metrics.enabled} (true)
     */
    public record Tuning(int poolMin, int poolMax, Duration poolIdleTimeout, Duration poolAcquireTimeout,
            int commandMaxAttempts, int snapshotFrequency, int maxEventsPerRead, int eventBatchSize,
            boolean metricsEnabled) {

        /** @return the defaults */
        public static Tuning defaults() {
            return new Tuning(5, 20, Duration.ofSeconds(10), Duration.ofSeconds(60), 3, 100, 1000, 100, true);
        }
    }

    private static final Set<String> SECRETS = Set.of("DB_PASSWORD", "JWT_SECRET", "REDIS_PASSWORD");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    /** @return whether the server runs on its embedded PostgreSQL (no {@code DB_HOST}) */
    public boolean embedded() {
        return dbHost == null;
    }

    /**
     * @param env the environment
     * @return the configuration
     * @throws ConfigException listing every bad variable
     */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        int port = r.port("PORT", 3001);
        int metricsPort = r.port("METRICS_PORT", 9090);
        String dbHost = r.text("DB_HOST", null);
        int dbPort = r.port("DB_PORT", 5432);
        String dbName = r.identifier("DB_NAME", "orders");
        String dbUser = r.text("DB_USERNAME", "postgres");
        String dbPassword = r.text("DB_PASSWORD", null);
        String schema = r.identifier("EVENTSTORE_SCHEMA", "eventstore");
        String logLevel = r.oneOf("LOG_LEVEL", "info", "error", "warn", "info", "debug", "trace");
        String cors = r.text("CORS_ORIGIN", null);
        String secret = r.text("JWT_SECRET", null);
        if (secret != null && secret.length() < 32) {
            r.bad("JWT_SECRET", secret, "at least 32 characters (HS256 needs a 256-bit key)");
        }
        if (secret == null && dbHost != null) {
            r.bad("JWT_SECRET", null, "required when DB_HOST is set (only the embedded dev mode generates one)");
        }
        Duration expiry = r.duration("JWT_EXPIRY", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30));
        String version = r.text("APP_VERSION", "dev");
        String dataDir = r.text("EVENTFOLD_DATA_DIR", Path.of(System.getProperty("user.home"), ".eventfold").toString());
        int grace = r.integer("SHUTDOWN_GRACE_SECONDS", 25, 0, 600);
        int maxBody = r.integer("MAX_BODY_BYTES", 65_536, 1024, 10_485_760);
        String redisHost = r.text("REDIS_HOST", null);
        int redisPort = r.port("REDIS_PORT", 6379);
        String redisPassword = r.text("REDIS_PASSWORD", null);
        String prefix = r.text("REDIS_KEY_PREFIX", null);
        int window = r.integer("RATE_LIMIT_WINDOW", 900_000, 1000, 86_400_000);
        int max = r.integer("RATE_LIMIT_MAX", 1000, 1, 1_000_000);
        String configFile = r.text("CONFIG_FILE", null);
        Tuning tuning = r.tuning(configFile);
        if (prefix == null) {
            prefix = r.filePrefix();
        }
        if (!prefix.matches("[A-Za-z0-9:_.-]{1,64}")) {
            r.bad("REDIS_KEY_PREFIX", prefix, "1 to 64 characters of A-Z a-z 0-9 : _ . - (or redis.keyPrefix)");
        }
        r.throwIfBad();
        return new ServerConfig(port, metricsPort, dbHost, dbPort, dbName, dbUser, dbPassword, schema, logLevel,
                cors, secret, expiry, version, Path.of(dataDir), Duration.ofSeconds(grace), maxBody, redisHost,
                redisPort, redisPassword, prefix, Duration.ofMillis(window), max, tuning);
    }

    /** A configuration that cannot start the server; the message lists every problem. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigException(List<String> problems) {
            super("Invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + "):\n  " + String.join("\n  ", problems));
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();
        private com.fasterxml.jackson.databind.JsonNode fileRoot;

        Reader(Map<String, String> env) {
            this.env = env;
        }

        private String raw(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.strip();
        }

        void bad(String name, String value, String expected) {
            String shown = value == null ? "(unset)" : SECRETS.contains(name) ? "****" : "'" + value + "'";
            problems.add(name + "=" + shown + ": expected " + expected);
        }

        String text(String name, String fallback) {
            String value = raw(name);
            return value == null ? fallback : value;
        }

        String identifier(String name, String fallback) {
            String value = text(name, fallback);
            if (!value.matches("[a-z_][a-z0-9_]{0,47}")) {
                bad(name, value, "a lower-case SQL identifier ([a-z_][a-z0-9_]*, up to 48 characters)");
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            bad(name, value, "a whole number from " + min + " to " + max);
            return fallback;
        }

        int port(String name, int fallback) {
            return integer(name, fallback, 0, 65_535);
        }

        String oneOf(String name, String fallback, String... allowed) {
            String value = text(name, fallback).toLowerCase(Locale.ROOT);
            if (!List.of(allowed).contains(value)) {
                bad(name, value, "one of " + String.join(", ", allowed));
            }
            return value;
        }

        Duration duration(String name, Duration fallback, Duration min, Duration max) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            var m = DURATION.matcher(value);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                Duration parsed = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
                if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                    return parsed;
                }
            }
            bad(name, value, "a duration like 3600, 90m, 24h or 7d, from " + min + " to " + max);
            return fallback;
        }

        /** Reads the JSON file; every problem is reported as {@code CONFIG_FILE <path>: key ...}. */
        Tuning tuning(String file) {
            Tuning d = Tuning.defaults();
            if (file == null) {
                return d;
            }
            com.fasterxml.jackson.databind.JsonNode root;
            try {
                root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Files.readString(
                        Path.of(file)));
                fileRoot = root;
            } catch (java.io.IOException | RuntimeException e) {
                bad("CONFIG_FILE", file, "a readable JSON file (" + e.getClass().getSimpleName() + ")");
                return d;
            }
            if (root == null || !root.isObject()) {
                bad("CONFIG_FILE", file, "a JSON object");
                return d;
            }
            java.util.Map<String, java.util.Set<String>> known = java.util.Map.of("database", java.util.Set.of("pool"),
                    "retry", java.util.Set.of("maxAttempts"), "redis", java.util.Set.of("keyPrefix"),
                    "eventStore", java.util.Set.of("snapshotFrequency", "maxEventsPerRead", "eventBatchSize"),
                    "metrics", java.util.Set.of("enabled"));
            root.fieldNames().forEachRemaining(key -> {
                if (!known.containsKey(key)) {
                    problems.add("CONFIG_FILE " + file + ": unknown key '" + key + "'; known: " + new java.util.TreeSet<>(
                            known.keySet()));
                } else {
                    root.get(key).fieldNames().forEachRemaining(sub -> {
                        if (!known.get(key).contains(sub)) {
                            problems.add("CONFIG_FILE " + file + ": unknown key '" + key + "." + sub + "'");
                        }
                    });
                }
            });
            com.fasterxml.jackson.databind.JsonNode pool = root.path("database").path("pool");
            pool.fieldNames().forEachRemaining(sub -> {
                if (!java.util.Set.of("min", "max", "idleTimeoutMillis", "acquireTimeoutMillis").contains(sub)) {
                    problems.add("CONFIG_FILE " + file + ": unknown key 'database.pool." + sub + "'");
                }
            });
            int poolMin = number(file, pool, "database.pool.min", "min", d.poolMin(), 0, 1000);
            int poolMax = number(file, pool, "database.pool.max", "max", d.poolMax(), 1, 1000);
            if (poolMin > poolMax) {
                problems.add("CONFIG_FILE " + file + ": database.pool.min (" + poolMin + ") must not exceed "
                        + "database.pool.max (" + poolMax + ")");
            }
            int idle = number(file, pool, "database.pool.idleTimeoutMillis", "idleTimeoutMillis",
                    (int) d.poolIdleTimeout().toMillis(), 10_000, 86_400_000);
            int acquire = number(file, pool, "database.pool.acquireTimeoutMillis", "acquireTimeoutMillis",
                    (int) d.poolAcquireTimeout().toMillis(), 250, 600_000);
            int attempts = number(file, root.path("retry"), "retry.maxAttempts", "maxAttempts",
                    d.commandMaxAttempts(), 1, 100);
            com.fasterxml.jackson.databind.JsonNode store = root.path("eventStore");
            int snapshots = number(file, store, "eventStore.snapshotFrequency", "snapshotFrequency",
                    d.snapshotFrequency(), 0, 1_000_000);
            int maxRead = number(file, store, "eventStore.maxEventsPerRead", "maxEventsPerRead",
                    d.maxEventsPerRead(), 1, 100_000);
            int batch = number(file, store, "eventStore.eventBatchSize", "eventBatchSize", d.eventBatchSize(), 1,
                    100_000);
            if (batch > maxRead) {
                problems.add("CONFIG_FILE " + file + ": eventStore.eventBatchSize (" + batch + ") must not exceed "
                        + "eventStore.maxEventsPerRead (" + maxRead + ")");
            }
            com.fasterxml.jackson.databind.JsonNode enabled = root.path("metrics").path("enabled");
            boolean metrics = d.metricsEnabled();
            if (!enabled.isMissingNode()) {
                if (enabled.isBoolean()) {
                    metrics = enabled.booleanValue();
                } else {
                    problems.add("CONFIG_FILE " + file + ": metrics.enabled must be true or false, was " + enabled);
                }
            }
            return new Tuning(poolMin, poolMax, Duration.ofMillis(idle), Duration.ofMillis(acquire), attempts,
                    snapshots, maxRead, batch, metrics);
        }

        /** @return {@code redis.keyPrefix} of the file {@link #tuning} read, or the default */
        String filePrefix() {
            com.fasterxml.jackson.databind.JsonNode node = fileRoot == null ? null
                    : fileRoot.path("redis").path("keyPrefix");
            return node != null && node.isTextual() ? node.asText() : "orders:";
        }

        private int number(String file, com.fasterxml.jackson.databind.JsonNode parent, String path, String key,
                int fallback, int min, int max) {
            com.fasterxml.jackson.databind.JsonNode node = parent.path(key);
            if (node.isMissingNode()) {
                return fallback;
            }
            if (node.isIntegralNumber() && node.asLong() >= min && node.asLong() <= max) {
                return node.asInt();
            }
            problems.add("CONFIG_FILE " + file + ": " + path + " must be a whole number from " + min + " to " + max
                    + ", was " + node);
            return fallback;
        }

        void throwIfBad() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }
}
