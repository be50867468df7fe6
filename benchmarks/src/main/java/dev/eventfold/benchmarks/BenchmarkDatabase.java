package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The PostgreSQL every benchmark runs against (127.0.0.1:5432, user postgres, unless {@code -Deventfold.jdbcUrl},
 * {@code -Deventfold.user}, {@code -Deventfold.password} say otherwise). Each trial works in schemas of its own and
 * drops them afterwards.
 */
final class BenchmarkDatabase {

    static final String URL = System.getProperty("eventfold.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getProperty("eventfold.user", "postgres");
    static final String PASSWORD = System.getProperty("eventfold.password");

    private BenchmarkDatabase() {
    }

    static HikariDataSource pool(int size, String searchPath) {
        String url = searchPath == null ? URL : URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + searchPath;
        return PostgresPool.builder(url).username(USER).password(PASSWORD).poolName("bench").minIdle(1)
                .maxSize(Math.max(2, size)).build();
    }

    static String newSchemaName(String kind) {
        return "bench_" + kind.replaceAll("[^a-z]", "") + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * With {@code -Deventfold.secondaryIndexes=false} (pass it to JMH's forks with {@code -jvmArgsAppend}), drops the
     * non-unique indexes of {@code schema.events} (log order, category, type), to measure what they cost per append
     * (docs/performance.md, "Where the single-append gap is"). Reads by category or type then scan the table: only for
     * append benchmarks.
     */
    static void dropSecondaryIndexesIfAsked(javax.sql.DataSource dataSource, String schema) {
        if (!"false".equals(System.getProperty("eventfold.secondaryIndexes"))) {
            return;
        }
        execute(dataSource, "DO $$ DECLARE r record; BEGIN FOR r IN "
                + "SELECT i.indexrelid::regclass AS name FROM pg_index i WHERE i.indrelid = '" + schema
                + ".events'::regclass AND NOT i.indisunique LOOP "
                + "EXECUTE 'DROP INDEX ' || r.name; END LOOP; END $$");
    }

    static void execute(javax.sql.DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** @return the server settings a result depends on, to print with it */
    static Map<String, String> settings(javax.sql.DataSource dataSource) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version(), current_setting('fsync'), "
                        + "current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
            rs.next();
            settings.put("postgres", rs.getString(1));
            settings.put("fsync", rs.getString(2));
            settings.put("synchronous_commit", rs.getString(3));
            settings.put("shared_buffers", rs.getString(4));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        settings.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        settings.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return settings;
    }
}
