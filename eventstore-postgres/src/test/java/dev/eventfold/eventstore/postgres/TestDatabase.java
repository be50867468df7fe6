package dev.eventfold.eventstore.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The shared PostgreSQL that tests use (127.0.0.1:5432, user postgres, unless {@code EVENTFOLD_TEST_JDBC_URL},
 * {@code EVENTFOLD_TEST_DB_USER} and {@code EVENTFOLD_TEST_DB_PASSWORD} say otherwise). Every test class, and every
 * contract-suite store, works in a schema of its own that it drops afterwards.
 */
final class TestDatabase {

    static final String JDBC_URL = env("EVENTFOLD_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = env("EVENTFOLD_TEST_DB_USER", "postgres");
    static final String PASSWORD = System.getenv("EVENTFOLD_TEST_DB_PASSWORD");

    private TestDatabase() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static HikariDataSource pool(int maxSize) {
        return PostgresPool.builder(JDBC_URL).username(USER).password(PASSWORD).poolName("test")
                .minIdle(1).maxSize(maxSize).connectionTimeout(Duration.ofSeconds(10)).build();
    }

    /** @return a new, migrated schema with a unique name */
    static String newSchema(DataSource dataSource) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        PostgresEventStoreMigrator.migrate(dataSource, schema);
        return schema;
    }

    static void dropSchema(DataSource dataSource, String schema) {
        execute(dataSource, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
