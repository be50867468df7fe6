package dev.eventfold.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database the server runs on: the configured PostgreSQL (over TLS with {@code verify-full} when
 * {@code DB_SSL_CERT} is set, reached with {@code database.retry} at start-up), or the embedded one of the
 * single-node dev mode. With {@code DB_DIRECT_HOST}, {@code DB_HOST} is taken for a transaction-pooling PgBouncer:
 * the main pool sends no server-side prepared statements ({@code prepareThreshold=0}, which PgBouncer before 1.21
 * cannot route), and a small second pool reaches PostgreSQL directly for what needs a session of its own (the LISTEN
 * connection and the projection leases' advisory locks).
 */
final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Connections of the direct pool: the LISTEN connection, the read models' lease and one spare. */
    private static final int DIRECT_POOL_SIZE = 3;

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final HikariDataSource direct;
    private HikariDataSource replica;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool, HikariDataSource direct) {
        this.embedded = embedded;
        this.pool = pool;
        this.direct = direct;
    }

    /** Opens the database for serving: statements time out after {@code database.socketTimeout}. */
    static Database open(ServerConfig config) {
        return open(config, config.database().socketTimeout());
    }

    /** Opens the database for the {@code migrate} command: no socket timeout, as an index build may take long. */
    static Database openForMigrations(ServerConfig config) {
        return open(config, Duration.ZERO);
    }

    private static Database open(ServerConfig config, Duration socketTimeout) {
        Database database = openPrimary(config, socketTimeout);
        ServerConfig.Database db = config.database();
        if (db.replicaHost() != null) {
            // Not waited for at start-up: reads fall back to the primary while the replica cannot be reached.
            database.replica = PostgresPool.builder(url(db, db.replicaHost(), db.replicaPort()))
                    .username(db.username()).password(db.password()).poolName("orders-replica")
                    .maxSize(db.poolMax()).minIdle(0).idleTimeout(db.poolIdle())
                    .connectionTimeout(Duration.ofMillis(Math.min(db.poolAcquire().toMillis(), 2000)))
                    .socketTimeout(socketTimeout).build();
            LOG.info("DB_REPLICA_HOST set: order reads from {}:{}, waiting up to {} ms for it to catch up",
                    db.replicaHost(), db.replicaPort(), db.replicaMaxWait().toMillis());
        }
        return database;
    }

    private static Database openPrimary(ServerConfig config, Duration socketTimeout) {
        ServerConfig.Database db = config.database();
        if (!config.embedded()) {
            if (db.directHost() == null) {
                String url = url(db, db.host(), db.port());
                awaitReachable(url, db);
                return new Database(null, pool(PostgresPool.builder(url).username(db.username())
                        .password(db.password()), db, socketTimeout), null);
            }
            String pooled = withParameter(url(db, db.host(), db.port()), "prepareThreshold=0");
            String directUrl = url(db, db.directHost(), db.directPort());
            awaitReachable(pooled, db);
            awaitReachable(directUrl, db);
            LOG.info("DB_DIRECT_HOST set: appends, reads and read models through {}:{} without server-side prepared "
                    + "statements; the LISTEN connection and projection leases to {}:{}", db.host(), db.port(),
                    db.directHost(), db.directPort());
            HikariDataSource direct = PostgresPool.builder(directUrl).username(db.username()).password(db.password())
                    .poolName("orders-direct").maxSize(DIRECT_POOL_SIZE).minIdle(1).idleTimeout(db.poolIdle())
                    .connectionTimeout(db.poolAcquire()).socketTimeout(socketTimeout).build();
            return new Database(null, pool(PostgresPool.builder(pooled).username(db.username())
                    .password(db.password()), db, socketTimeout), direct);
        }
        Path dataDir = config.dataDir().resolve("postgres");
        try {
            Files.createDirectories(dataDir.getParent());
            LOG.warn("single-node dev mode: no DB_HOST, starting embedded PostgreSQL with data in {}; Redis features "
                    + "use in-process substitutes. Set DB_HOST for production.", dataDir);
            // No shutdown hook of its own: it would stop PostgreSQL in parallel with the server's drain on SIGTERM
            // (requests in flight and the projection's last commit then fail); the server closes it last.
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                    .setCleanDataDirectory(false).setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            HikariDataSource pool = pool(PostgresPool.builder(url).username("postgres"), db, socketTimeout);
            return new Database(postgres, pool, null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** The JDBC URL of {@code DB_HOST}; with a CA certificate, TLS with host name verification against it. */
    static String url(ServerConfig.Database db) {
        return url(db, db.host(), db.port());
    }

    private static String url(ServerConfig.Database db, String host, int port) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + db.name();
        if (db.sslCert() == null) {
            return url;
        }
        try {
            Path ca = Files.createTempFile("db-ca-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ca.toFile().deleteOnExit();
            Files.writeString(ca, db.sslCert());
            return withParameter(url, "sslmode=verify-full&sslrootcert="
                    + URLEncoder.encode(ca.toString(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write DB_SSL_CERT to a temporary file (is /tmp writable?)", e);
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    /**
     * Tries to connect once, then {@code database.retry.max} more times, waiting {@code database.retry.delay} before
     * the first retry and twice as long before each next one.
     *
     * @throws IllegalStateException naming the database and the last error when every attempt failed
     */
    static void awaitReachable(String url, ServerConfig.Database db) {
        Properties properties = new Properties();
        properties.setProperty("user", db.username());
        if (db.password() != null) {
            properties.setProperty("password", db.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "10");
        Duration delay = db.retryDelay();
        for (int attempt = 1;; attempt++) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                connection.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                String where = db.host() + ":" + db.port() + "/" + db.name();
                if (attempt > db.retryMax()) {
                    throw new IllegalStateException("PostgreSQL at " + where + " is unreachable after " + attempt
                            + " attempt" + (attempt == 1 ? "" : "s") + " (database.retry.max " + db.retryMax()
                            + "): " + e.getMessage(), e);
                }
                LOG.warn("PostgreSQL at {} is unreachable (attempt {} of {}): {}; retrying in {} ms", where, attempt,
                        db.retryMax() + 1, e.getMessage(), delay.toMillis());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for PostgreSQL at " + where, e);
                }
                delay = delay.multipliedBy(2);
            }
        }
    }

    private static HikariDataSource pool(PostgresPool.Builder builder, ServerConfig.Database db,
            Duration socketTimeout) {
        return builder.poolName("orders").maxSize(db.poolMax()).minIdle(db.poolMin()).idleTimeout(db.poolIdle())
                .connectionTimeout(db.poolAcquire()).socketTimeout(socketTimeout).build();
    }

    /** @return the pool for appends, reads, snapshots and read models */
    HikariDataSource pool() {
        return pool;
    }

    /** @return the read replica's pool, if {@code DB_REPLICA_HOST} is set */
    java.util.Optional<HikariDataSource> replicaPool() {
        return java.util.Optional.ofNullable(replica);
    }

    /** @return where connections that hold a session come from: the direct pool, or the main one without it */
    HikariDataSource sessionPool() {
        return direct != null ? direct : pool;
    }

    @Override
    public void close() {
        if (replica != null) {
            replica.close();
        }
        pool.close();
        if (direct != null) {
            direct.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
            }
        }
    }
}
