package dev.eventfold.examples.orders;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The local PostgreSQL the tests run against: 127.0.0.1:5432, database and user {@code postgres}, no password
 * (override with {@code EVENTFOLD_TEST_JDBC_URL}, {@code EVENTFOLD_TEST_DB_USER}, {@code EVENTFOLD_TEST_DB_PASSWORD}).
 * Each test works in a fresh schema of its own and drops it at the end.
 */
final class TestDatabase {

    static final String JDBC_URL = env("EVENTFOLD_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = env("EVENTFOLD_TEST_DB_USER", "postgres");
    static final String PASSWORD = System.getenv("EVENTFOLD_TEST_DB_PASSWORD");

    private TestDatabase() {
    }

    static HikariDataSource pool() {
        return PostgresPool.builder(JDBC_URL).username(USER).password(PASSWORD)
                .minIdle(0).maxSize(10).connectionTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Creates a schema with a random name and runs the event store's migrations in it. */
    static String newSchema(DataSource dataSource) {
        String schema = "orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresEventStoreMigrator.migrate(dataSource, schema);
        return schema;
    }

    static void dropSchema(DataSource dataSource, String schema) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
