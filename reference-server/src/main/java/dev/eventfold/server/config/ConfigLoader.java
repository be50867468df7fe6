package dev.eventfold.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link ServerConfig}: the environment wins over the files, the files over the defaults; the two files
 * must agree where both set the same thing. Every problem of every source is collected and thrown together.
 */
final class ConfigLoader {

    private final List<String> problems = new ArrayList<>();
    private final Environment env;
    private final List<Path> files = new ArrayList<>();

    ConfigLoader(Map<String, String> env) {
        this.env = new Environment(env, problems);
    }

    /** @return every environment variable the loader read (checked against {@link ServerConfig#VARIABLES}) */
    java.util.Set<String> variablesRead() {
        return env.asked();
    }

    ServerConfig load() {
        Path dir = ServerConfig.DEFAULT_CONFIG_DIR;
        if (env.has("CONFIG_DIR")) {
            dir = Path.of(env.text("CONFIG_DIR", null));
            if (!Files.isDirectory(dir)) {
                env.bad("CONFIG_DIR", dir.toString(), "an existing directory (where app-config.json and "
                        + "monitoring-config.json are mounted)");
            }
        }
        ConfigFile app = file("CONFIG_FILE", dir.resolve("app-config.json"));
        ConfigFile monitoringFile = file("MONITORING_CONFIG_FILE", dir.resolve("monitoring-config.json"));

        String dbHost = env.text("DB_HOST", null);
        String environment = env.matching("NODE_ENV", dbHost == null ? "development" : "production",
                "[a-z][a-z0-9-]{0,31}", "an environment name such as development, test, staging or production");
        if ("production".equals(environment) && dbHost == null) {
            env.bad("DB_HOST", null, "set when NODE_ENV=production (the embedded PostgreSQL is for development)");
        }
        String version = env.matching("APP_VERSION", "dev", "[A-Za-z0-9._+-]{1,64}",
                "a version such as 1.2.3 or v1.2.3 (letters, digits, . _ + -)");
        ServerConfig.Http http = http(app);
        ServerConfig.Database database = database(app, dbHost);
        ServerConfig.Redis redis = redis(app);
        ServerConfig.Auth auth = auth(dbHost);
        ServerConfig.EventSourcing eventSourcing = eventSourcing(app);
        ServerConfig.Retention retention = retention(app);
        ServerConfig.Monitoring monitoring = new MonitoringReader(env, app, monitoringFile, problems)
                .read(version, environment);
        Path dataDir = Path.of(env.text("EVENTFOLD_DATA_DIR",
                Path.of(System.getProperty("user.home"), ".eventfold").toString()));
        app.reportUnknownKeys();
        monitoringFile.reportUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(environment, version, dataDir, http, database, redis, auth, eventSourcing, retention,
                monitoring, List.copyOf(files));
    }

    private ConfigFile file(String variable, Path fallback) {
        boolean named = env.has(variable);
        Path path = named ? Path.of(env.text(variable, null)) : fallback;
        if (!named && !Files.exists(path)) {
            return ConfigFile.empty(problems);
        }
        files.add(path);
        return ConfigFile.read(path, true, problems);
    }

    private ServerConfig.Http http(ConfigFile app) {
        // Every file key is read (and checked) even where the environment wins, so none is reported as unknown.
        int filePort = app.integer("server.port", 3001, 0, 65_535);
        int port = env.has("PORT") ? env.port("PORT", 3001) : filePort;
        String fileHost = app.text("server.host", "0.0.0.0", "[A-Za-z0-9.:-]{1,253}", "a host name or address");
        String host = env.has("HOST") ? env.matching("HOST", null, "[A-Za-z0-9.:-]{1,253}", "a host or address")
                : fileHost;
        List<String> fileOrigins = app.texts("server.cors.origin", List.of(), Environment::originProblem);
        List<String> envOrigins = env.origins("CORS_ORIGIN");
        boolean credentials = app.bool("server.cors.credentials", false);
        long maxBody = env.number("MAX_BODY_BYTES", 65_536, 1024, 10_485_760);
        int grace = env.integer("SHUTDOWN_GRACE_SECONDS", 25, 0, 600);
        long window = env.number("RATE_LIMIT_WINDOW", 900_000, 1000, 86_400_000);
        int max = env.integer("RATE_LIMIT_MAX", 1000, 1, 1_000_000);
        int headerTimeout = env.integer("REQUEST_HEADER_TIMEOUT_SECONDS", 10, 1, 300);
        TrustedProxies proxies = TrustedProxies.none();
        String trusted = env.text("TRUSTED_PROXIES", null);
        if (trusted != null) {
            try {
                proxies = TrustedProxies.of(List.of(trusted.split(",")));
            } catch (IllegalArgumentException e) {
                env.bad("TRUSTED_PROXIES", trusted, "addresses or CIDR ranges, comma-separated (" + e.getMessage()
                        + ")");
            }
        }
        return new ServerConfig.Http(host, port, envOrigins != null ? envOrigins : fileOrigins, credentials, maxBody,
                Duration.ofSeconds(grace), Duration.ofMillis(window), max, Duration.ofSeconds(headerTimeout), proxies);
    }

    private ServerConfig.Database database(ConfigFile app, String host) {
        int port = env.port("DB_PORT", 5432);
        String name = env.matching("DB_NAME", "order_management", "[A-Za-z0-9_-]{1,63}",
                "a database name (letters, digits, _ and -, up to 63 characters)");
        String user = env.text("DB_USERNAME", "postgres");
        String password = env.text("DB_PASSWORD", null);
        String sslCert = env.certificate("DB_SSL_CERT");
        String directHost = env.matching("DB_DIRECT_HOST", null, "[A-Za-z0-9.:-]{1,253}", "a host name or address");
        int directPort = env.port("DB_DIRECT_PORT", 5432);
        if (directHost != null && host == null) {
            env.bad("DB_DIRECT_HOST", directHost, "set only with DB_HOST (the embedded PostgreSQL has no pooler)");
        }
        String replicaHost = env.matching("DB_REPLICA_HOST", null, "[A-Za-z0-9.:-]{1,253}",
                "a host name or address");
        int replicaPort = env.port("DB_REPLICA_PORT", 5432);
        if (replicaHost != null && host == null) {
            env.bad("DB_REPLICA_HOST", replicaHost, "set only with DB_HOST (the embedded PostgreSQL has no replica)");
        }
        Duration replicaMaxWait = app.millis("database.replica.maxWait", Duration.ofMillis(200), 0, 60_000);
        String schema = env.identifier("EVENTSTORE_SCHEMA", "eventstore");
        int min = app.integer("database.pool.min", 5, 0, 1000);
        int max = app.integer("database.pool.max", 20, 1, 1000);
        if (min > max) {
            app.problem("database.pool.min (" + min + ") must not exceed database.pool.max (" + max + ")");
        }
        Duration idle = app.millis("database.pool.idle", Duration.ofSeconds(10), 10_000, 86_400_000);
        Duration acquire = app.millis("database.pool.acquire", Duration.ofSeconds(60), 250, 600_000);
        Duration socketTimeout = Duration.ofSeconds((app.millis("database.socketTimeout", Duration.ofSeconds(30),
                1000, 3_600_000).toMillis() + 999) / 1000);
        int retryMax = app.integer("database.retry.max", 3, 0, 100);
        Duration retryDelay = app.millis("database.retry.delay", Duration.ofSeconds(1), 10, 60_000);
        return new ServerConfig.Database(host, port, name, user, password, sslCert, directHost, directPort,
                replicaHost, replicaPort, replicaMaxWait, schema, min, max, idle, acquire, socketTimeout,
                retryMax, retryDelay);
    }

    private ServerConfig.Redis redis(ConfigFile app) {
        String host = env.text("REDIS_HOST", null);
        int port = env.port("REDIS_PORT", 6379);
        String password = env.text("REDIS_PASSWORD", null);
        String cert = env.certificate("REDIS_TLS_CERT");
        Boolean tls = env.bool("REDIS_TLS");
        if (Boolean.FALSE.equals(tls) && env.has("REDIS_TLS_CERT")) {
            env.bad("REDIS_TLS", "false", "true or unset when REDIS_TLS_CERT is set");
        }
        String rule = "1 to 64 characters of A-Z a-z 0-9 : _ . -";
        String filePrefix = app.text("redis.keyPrefix", "order-mgmt:", "[A-Za-z0-9:_.-]{1,64}", rule);
        String prefix = env.has("REDIS_KEY_PREFIX")
                ? env.matching("REDIS_KEY_PREFIX", null, "[A-Za-z0-9:_.-]{1,64}", rule) : filePrefix;
        Duration retryDelay = app.millis("redis.retryDelayOnFailover", Duration.ofMillis(100), 10, 60_000);
        int retries = app.integer("redis.maxRetriesPerRequest", 3, 0, 20);
        return new ServerConfig.Redis(host, port, password, tls != null ? tls : env.has("REDIS_TLS_CERT"), cert,
                prefix, retryDelay, retries);
    }

    private ServerConfig.Auth auth(String dbHost) {
        String secret = env.key("JWT_SECRET");
        String refresh = env.key("JWT_REFRESH_SECRET");
        if (dbHost != null) {
            if (secret == null) {
                env.bad("JWT_SECRET", null, "set when DB_HOST is set (only the embedded dev mode generates one)");
            }
            if (refresh == null) {
                env.bad("JWT_REFRESH_SECRET", null, "set when DB_HOST is set (only the embedded dev mode "
                        + "generates one)");
            }
        }
        if (secret != null && Objects.equals(secret, refresh)) {
            env.bad("JWT_REFRESH_SECRET", refresh, "a key other than JWT_SECRET (an access token must never pass "
                    + "as a refresh token)");
        }
        Duration expiry = env.duration("JWT_EXPIRY", Duration.ofHours(24), Duration.ofMinutes(1),
                Duration.ofDays(30));
        Duration refreshExpiry = env.duration("JWT_REFRESH_EXPIRY", Duration.ofDays(7), Duration.ofMinutes(5),
                Duration.ofDays(90));
        if (refreshExpiry.compareTo(expiry) < 0) {
            env.bad("JWT_REFRESH_EXPIRY", env.text("JWT_REFRESH_EXPIRY", "7d"), "at least JWT_EXPIRY (" + expiry
                    + "): a session outlives its access tokens");
        }
        java.net.URI jwks = env.url("JWT_JWKS_URL");
        String issuer = env.matching("JWT_ISSUER", null, "\\S{1,500}", "the identity provider's issuer URL");
        String audience = env.matching("JWT_AUDIENCE", null, "\\S{1,200}", "the audience (client id) of the tokens");
        if (jwks != null && (issuer == null || audience == null)) {
            env.bad(issuer == null ? "JWT_ISSUER" : "JWT_AUDIENCE", null, "set when JWT_JWKS_URL is set (tokens "
                    + "of any issuer or audience would otherwise pass)");
        }
        String roleClaim = env.matching("JWT_ROLE_CLAIM", "role", "[A-Za-z0-9:._-]{1,100}", "a claim name such as "
                + "role or cognito:groups");
        return new ServerConfig.Auth(secret, refresh, expiry, refreshExpiry, jwks, issuer, audience, roleClaim);
    }

    private ServerConfig.Retention retention(ConfigFile app) {
        List<dev.eventfold.eventstore.retention.RetentionPolicy> policies = new ArrayList<>();
        app.texts("retention.policies", List.of(), text -> {
            try {
                policies.add(RetentionPolicies.parse(text));
                return null;
            } catch (dev.eventfold.eventstore.InvalidRequestException e) {
                return "must be a policy like 'category:audit maxAge=P2555D' (" + e.getMessage() + ")";
            }
        });
        int minutes = app.integer("retention.intervalMinutes", 60, 1, 10_080);
        return new ServerConfig.Retention(policies, java.time.Duration.ofMinutes(minutes));
    }

    private ServerConfig.EventSourcing eventSourcing(ConfigFile app) {
        int snapshots = app.integer("eventSourcing.snapshotFrequency", 100, 0, 1_000_000);
        int maxRead = app.integer("eventSourcing.maxEventsPerRead", 1000, 1, 100_000);
        int batch = app.integer("eventSourcing.eventBatchSize", 50, 1, 100_000);
        if (batch > maxRead) {
            app.problem("eventSourcing.eventBatchSize (" + batch + ") must not exceed eventSourcing.maxEventsPerRead ("
                    + maxRead + ")");
        }
        int attempts = env.integer("COMMAND_MAX_ATTEMPTS", 3, 1, 100);
        boolean accessLog = app.bool("eventSourcing.personalDataAccessLog", false);
        return new ServerConfig.EventSourcing(snapshots, maxRead, batch, attempts, accessLog);
    }
}
