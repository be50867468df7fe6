package dev.eventfold.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server's settings: the environment (the seed's variable names) over the two files the seed's ConfigMaps mount,
 * {@code app-config.json} and {@code monitoring-config.json}. {@code docs/configuration.md} lists every variable and
 * key; a test checks that list against {@link #VARIABLES}. Every problem (bad variable, unknown or ill-typed key,
 * contradiction between sources) is reported at once by {@link #load}, secrets masked. Immutable.
 *
 * @param environment the environment name ({@code NODE_ENV}): {@code development}, {@code test}, {@code staging} or
 *     {@code production}; shown in every log line
 * @param appVersion the version reported by {@code /health} and the logs ({@code APP_VERSION})
 * @param dataDir where the embedded dev mode keeps PostgreSQL data and its generated secrets
 * @param http the HTTP listener, CORS, body limit, rate limits and drain
 * @param database PostgreSQL, its TLS, pool and start-up retries
 * @param redis Redis, its TLS, key prefix and retry policy
 * @param auth token secrets and lifetime
 * @param eventSourcing snapshots, read pages, read-model batches and command retries
 * @param retention the retention policies the server applies on a schedule
 * @param monitoring metrics, probes, logging, tracing and alert thresholds
 * @param files the configuration files that were read, in order
 */
public record ServerConfig(String environment, String appVersion, Path dataDir, Http http, Database database,
        Redis redis, Auth auth, EventSourcing eventSourcing, Retention retention, Monitoring monitoring,
        List<Path> files) {

    /** Every environment variable the server reads; {@code docs/configuration.md} documents each (tested). */
    public static final List<String> VARIABLES = List.of("NODE_ENV", "APP_VERSION", "PORT", "HOST", "METRICS_PORT",
            "LOG_LEVEL", "CORS_ORIGIN", "MAX_BODY_BYTES", "SHUTDOWN_GRACE_SECONDS", "REQUEST_HEADER_TIMEOUT_SECONDS", "TRUSTED_PROXIES",
            "RATE_LIMIT_WINDOW",
            "RATE_LIMIT_MAX", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USERNAME", "DB_PASSWORD", "DB_SSL_CERT",
            "DB_DIRECT_HOST", "DB_DIRECT_PORT", "DB_REPLICA_HOST", "DB_REPLICA_PORT",
            "EVENTSTORE_SCHEMA", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_TLS", "REDIS_TLS_CERT",
            "REDIS_KEY_PREFIX", "JWT_SECRET", "JWT_REFRESH_SECRET", "JWT_EXPIRY", "JWT_REFRESH_EXPIRY",
            "JWT_JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "JWT_ROLE_CLAIM", "COMMAND_MAX_ATTEMPTS",
            "EVENTFOLD_DATA_DIR", "CONFIG_DIR", "CONFIG_FILE", "MONITORING_CONFIG_FILE");

    /** The directory the Helm chart mounts the ConfigMaps into ({@code CONFIG_DIR}'s default). */
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/app/config");

    /**
     * Reads the configuration.
     *
     * @param env the environment
     * @return the configuration
     * @throws ConfigException listing every problem
     */
    public static ServerConfig load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    /** @return whether the server runs on its embedded PostgreSQL (no {@code DB_HOST}) */
    public boolean embedded() {
        return database.host() == null;
    }

    /**
     * @param host bind address ({@code HOST}, {@code server.host}, 0.0.0.0)
     * @param port API port ({@code PORT}, {@code server.port}, 3001)
     * @param corsOrigins allowed origins ({@code CORS_ORIGIN} comma-separated, {@code server.cors.origin}); empty for
     *     none
     * @param corsCredentials whether browsers may send credentials ({@code server.cors.credentials}, false)
     * @param maxBodyBytes the largest request body ({@code MAX_BODY_BYTES}, 65536)
     * @param shutdownGrace how long shutdown waits for in-flight work ({@code SHUTDOWN_GRACE_SECONDS}, 25)
     * @param rateLimitWindow the rate-limit window ({@code RATE_LIMIT_WINDOW}, milliseconds, 900000)
     * @param rateLimitMax requests per client and window ({@code RATE_LIMIT_MAX}, 1000)
     * @param requestHeaderTimeout the longest a client may take to send a request line and headers
     *     ({@code REQUEST_HEADER_TIMEOUT_SECONDS}, 10)
     * @param trustedProxies whose {@code X-Forwarded-For} names the client ({@code TRUSTED_PROXIES}: addresses and
     *     CIDR ranges, comma-separated; none by default, so the header is ignored)
     */
    public record Http(String host, int port, List<String> corsOrigins, boolean corsCredentials, long maxBodyBytes,
            Duration shutdownGrace, Duration rateLimitWindow, int rateLimitMax, Duration requestHeaderTimeout,
            TrustedProxies trustedProxies) {
    }

    /**
     * @param host {@code DB_HOST}; {@code null} starts the embedded PostgreSQL
     * @param port {@code DB_PORT} (5432)
     * @param name {@code DB_NAME} ({@code order_management})
     * @param username {@code DB_USERNAME} ({@code postgres})
     * @param password {@code DB_PASSWORD}
     * @param sslCert {@code DB_SSL_CERT}: the CA certificate (PEM text or a file path); set, connections use
     *     {@code sslmode=verify-full} against it
     * @param directHost {@code DB_DIRECT_HOST}: PostgreSQL itself when {@code DB_HOST} is a transaction-pooling
     *     PgBouncer; set, the LISTEN connection and the projection leases go here and the main pool turns server-side
     *     prepared statements off; unset, everything uses {@code DB_HOST}
     * @param directPort {@code DB_DIRECT_PORT} (5432)
     * @param replicaHost {@code DB_REPLICA_HOST}: a streaming replica (hot standby) of the database; set, order reads
     *     go there, never older than what this server wrote or a client's {@code If-None-Match} names
     * @param replicaPort {@code DB_REPLICA_PORT} (5432)
     * @param replicaMaxWait {@code database.replica.maxWait} (200 ms): how long a read waits for the replica to catch
     *     up before the primary answers
     * @param schema {@code EVENTSTORE_SCHEMA} ({@code eventstore})
     * @param poolMin {@code database.pool.min} (5)
     * @param poolMax {@code database.pool.max} (20)
     * @param poolIdle {@code database.pool.idle} (10000 ms)
     * @param poolAcquire {@code database.pool.acquire} (60000 ms)
     * @param socketTimeout {@code database.socketTimeout} (30000 ms, rounded up to whole seconds): the longest a
     *     statement waits for PostgreSQL's answer while serving, so a silently cut network fails requests instead of
     *     hanging them (the {@code migrate} command has none)
     * @param retryMax {@code database.retry.max}: further attempts to reach the database at start-up (3)
     * @param retryDelay {@code database.retry.delay}: the wait before the first retry, doubled each time (1000 ms)
     */
    public record Database(String host, int port, String name, String username, String password, String sslCert,
            String directHost, int directPort, String replicaHost, int replicaPort, Duration replicaMaxWait,
            String schema, int poolMin, int poolMax, Duration poolIdle,
            Duration poolAcquire, Duration socketTimeout, int retryMax,
            Duration retryDelay) {
    }

    /**
     * @param host {@code REDIS_HOST}; {@code null} uses in-process substitutes
     * @param port {@code REDIS_PORT} (6379)
     * @param password {@code REDIS_PASSWORD}
     * @param tls {@code REDIS_TLS} (true when {@code REDIS_TLS_CERT} is set, else false)
     * @param tlsCert {@code REDIS_TLS_CERT}: the CA certificate (PEM text or a file path) the server's certificate is
     *     verified against; unset with TLS on, the JVM's trust store is used
     * @param keyPrefix {@code REDIS_KEY_PREFIX}, {@code redis.keyPrefix} ({@code order-mgmt:})
     * @param retryDelayOnFailover {@code redis.retryDelayOnFailover}: wait between reconnection attempts (100 ms)
     * @param maxRetriesPerRequest {@code redis.maxRetriesPerRequest}: retries of one command before the fallback (3)
     */
    public record Redis(String host, int port, String password, boolean tls, String tlsCert, String keyPrefix,
            Duration retryDelayOnFailover, int maxRetriesPerRequest) {
    }

    /**
     * @param jwtSecret {@code JWT_SECRET}: HS256 key of access tokens, at least 32 characters; {@code null} only in
     *     embedded mode (generated)
     * @param jwtRefreshSecret {@code JWT_REFRESH_SECRET}: key of refresh tokens, at least 32 characters, not equal to
     *     the access key
     * @param jwtExpiry {@code JWT_EXPIRY} (24h): access-token lifetime
     * @param refreshExpiry {@code JWT_REFRESH_EXPIRY} (7d): refresh-token and session lifetime
     * @param jwksUrl {@code JWT_JWKS_URL}: the identity provider's keys; set, its RS256/ES256 tokens are accepted
     * @param issuer {@code JWT_ISSUER}: the provider's {@code iss} (required with a JWKS URL)
     * @param audience {@code JWT_AUDIENCE}: the {@code aud} the provider's tokens must carry (required with a JWKS URL)
     * @param roleClaim {@code JWT_ROLE_CLAIM} ({@code role}): the provider's claim holding the role or groups
     */
    public record Auth(String jwtSecret, String jwtRefreshSecret, Duration jwtExpiry, Duration refreshExpiry,
            URI jwksUrl, String issuer, String audience, String roleClaim) {
    }

    /**
     * @param snapshotFrequency {@code eventSourcing.snapshotFrequency} (100; 0 = never)
     * @param maxEventsPerRead {@code eventSourcing.maxEventsPerRead} (1000)
     * @param eventBatchSize {@code eventSourcing.eventBatchSize}: events per read-model transaction (50)
     * @param commandMaxAttempts {@code COMMAND_MAX_ATTEMPTS}: decisions per command on version conflicts (3)
     * @param personalDataAccessLog {@code eventSourcing.personalDataAccessLog}: log who read which customer's personal
     *     data (false)
     */
    public record EventSourcing(int snapshotFrequency, int maxEventsPerRead, int eventBatchSize,
            int commandMaxAttempts, boolean personalDataAccessLog) {
    }

    /**
     * @param policies {@code retention.policies}: applied every interval, through the audited path (none by default)
     * @param interval {@code retention.intervalMinutes} (60)
     */
    public record Retention(List<dev.eventfold.eventstore.retention.RetentionPolicy> policies, Duration interval) {
        /** Copies the list. */
        public Retention {
            policies = List.copyOf(policies);
        }
    }

    /**
     * @param metrics where and what the Prometheus endpoint serves
     * @param health probe paths and the dependency checks' bounds
     * @param logging level and the fields of every log line
     * @param tracing the seed's tracing block (only {@code enabled: false} is accepted by this version)
     * @param alerts the thresholds of the seed's alerts, exported as metrics and applied by {@code /health}
     */
    public record Monitoring(Metrics metrics, Health health, Logging logging, Tracing tracing, Alerts alerts) {
    }

    /**
     * @param enabled serve metrics ({@code monitoring.metrics.enabled}, {@code metrics.enabled}, true)
     * @param port {@code METRICS_PORT}, {@code metrics.port} (9090)
     * @param path {@code metrics.path} ({@code /metrics})
     * @param defaultMetrics JVM and process meters ({@code metrics.collect.defaultMetrics})
     * @param httpMetrics request counts and latencies ({@code metrics.collect.httpMetrics})
     * @param eventSourcingMetrics event store, reconstruction and read-model meters
     *     ({@code metrics.collect.eventSourcingMetrics})
     * @param businessMetrics order commands by outcome ({@code metrics.collect.businessMetrics})
     */
    public record Metrics(boolean enabled, int port, String path, boolean defaultMetrics, boolean httpMetrics,
            boolean eventSourcingMetrics, boolean businessMetrics) {
    }

    /**
     * @param enabled run the periodic dependency check ({@code healthChecks.enabled}, true)
     * @param timeout bound of each dependency check ({@code healthCheck.timeout}, {@code healthChecks.timeout}, 5000)
     * @param interval period of the background check ({@code healthCheck.interval}, {@code healthChecks.interval})
     * @param livenessPath {@code healthChecks.endpoints.liveness} ({@code /health/live})
     * @param readinessPath {@code healthChecks.endpoints.readiness} ({@code /health/ready}; {@code /ready} also
     *     answers)
     * @param healthPath {@code healthChecks.endpoints.health} ({@code /health})
     */
    public record Health(boolean enabled, Duration timeout, Duration interval, String livenessPath,
            String readinessPath, String healthPath) {
    }

    /**
     * @param level {@code LOG_LEVEL}, {@code logging.level} ({@code info})
     * @param service {@code logging.fields.service} ({@code order-management-backend})
     * @param version {@code logging.fields.version} (the app version)
     * @param environment {@code logging.fields.environment} (the environment name)
     */
    public record Logging(String level, String service, String version, String environment) {
    }

    /**
     * @param enabled {@code tracing.enabled}
     * @param serviceName {@code tracing.serviceName}
     * @param endpoint {@code tracing.endpoint}, or null
     */
    public record Tracing(boolean enabled, String serviceName, URI endpoint) {
    }

    /**
     * The seed's alert thresholds ({@code alerts.thresholds}); warning below critical in each pair.
     *
     * @param enabled {@code alerts.enabled}
     * @param responseTimeWarningMs {@code responseTime.warning} (500)
     * @param responseTimeCriticalMs {@code responseTime.critical} (2000)
     * @param errorRateWarning {@code errorRate.warning} (0.01)
     * @param errorRateCritical {@code errorRate.critical} (0.05)
     * @param memoryUsageWarning {@code memoryUsage.warning} (0.8 of the maximum heap)
     * @param memoryUsageCritical {@code memoryUsage.critical} (0.9)
     * @param cpuUsageWarning {@code cpuUsage.warning} (0.7 of the container's CPUs)
     * @param cpuUsageCritical {@code cpuUsage.critical} (0.9)
     */
    public record Alerts(boolean enabled, long responseTimeWarningMs, long responseTimeCriticalMs,
            double errorRateWarning, double errorRateCritical, double memoryUsageWarning, double memoryUsageCritical,
            double cpuUsageWarning, double cpuUsageCritical) {
    }
}
