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
 * single-node dev mode.
 */
final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    static Database open(ServerConfig config) {
        ServerConfig.Database db = config.database();
        if (!config.embedded()) {
            String url = url(db);
            awaitReachable(url, db);
            return new Database(null, pool(PostgresPool.builder(url).username(db.username())
                    .password(db.password()), db));
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
            HikariDataSource pool = pool(PostgresPool.builder(url).username("postgres"), db);
            return new Database(postgres, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /** The JDBC URL; with a CA certificate, TLS with host name verification against it. */
    static String url(ServerConfig.Database db) {
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name();
        if (db.sslCert() == null) {
            return url;
        }
        try {
            Path ca = Files.createTempFile("db-ca-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ca.toFile().deleteOnExit();
            Files.writeString(ca, db.sslCert());
            return url + "?sslmode=verify-full&sslrootcert=" + URLEncoder.encode(ca.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write DB_SSL_CERT to a temporary file (is /tmp writable?)", e);
        }
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

    private static HikariDataSource pool(PostgresPool.Builder builder, ServerConfig.Database db) {
        return builder.poolName("orders").maxSize(db.poolMax()).minIdle(db.poolMin()).idleTimeout(db.poolIdle())
                .connectionTimeout(db.poolAcquire()).build();
    }

    HikariDataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
            }
        }
    }
}
