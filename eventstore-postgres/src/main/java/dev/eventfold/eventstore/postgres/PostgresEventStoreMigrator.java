package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and upgrades the event store's schema with the versioned migrations shipped in this jar
 * ({@code db/eventfold/postgres}), through Flyway. The schema name is a placeholder, so several stores can live in one
 * database. Migration history is kept in {@code <schema>.eventfold_schema_history}.
 *
 * <p>Run it before building a {@link PostgresEventStore} (the reference server's {@code migrate} command does), with a
 * role that may create objects in the schema. Thread-safe; concurrent runs are serialized by Flyway's lock.
 */
public final class PostgresEventStoreMigrator {

    /** Where the migrations live on the class path. */
    public static final String LOCATIONS = "classpath:db/eventfold/postgres";

    private PostgresEventStoreMigrator() {
    }

    /**
     * Applies every pending migration to the schema, creating it if needed.
     *
     * @param dataSource where to migrate
     * @param schema the schema, a lower-case SQL identifier
     * @return how many migrations were applied (0 when the schema was up to date)
     * @throws dev.eventfold.eventstore.InvalidRequestException if the schema name is malformed
     * @throws EventStoreUnavailableException if the database cannot be reached or a migration fails
     */
    public static int migrate(DataSource dataSource, String schema) {
        PostgresEventStoreOptions.checkIdentifier("schema", schema, 48);
        try {
            MigrateResult result = flyway(dataSource, schema).migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new EventStoreUnavailableException("migrating schema '" + schema + "' failed: " + e.getMessage(), e);
        }
    }

    static Flyway flyway(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .table("eventfold_schema_history")
                .locations(LOCATIONS)
                .placeholders(Map.of("schema", schema))
                .loggers("slf4j")
                .load();
    }
}
