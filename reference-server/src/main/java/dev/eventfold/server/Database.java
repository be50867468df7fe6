package dev.eventfold.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database the server runs on: the configured PostgreSQL, or the embedded one of the single-node dev mode. */
final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;

    private Database(EmbeddedPostgres embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
    }

    static Database open(ServerConfig config) {
        if (!config.embedded()) {
            String url = "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/" + config.dbName();
            return new Database(null, pool(PostgresPool.builder(url).username(config.dbUsername())
                    .password(config.dbPassword()), config));
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
            HikariDataSource pool = pool(PostgresPool.builder(url).username("postgres"), config);
            return new Database(postgres, pool);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    private static HikariDataSource pool(PostgresPool.Builder builder, ServerConfig config) {
        ServerConfig.Tuning tuning = config.tuning();
        return builder.poolName("orders").maxSize(tuning.poolMax()).minIdle(tuning.poolMin())
                .idleTimeout(tuning.poolIdleTimeout()).connectionTimeout(tuning.poolAcquireTimeout()).build();
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
