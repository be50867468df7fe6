package dev.eventfold.server;

import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The {@code migrate} command: the event store's migrations, then the server's read-model migrations. */
final class Migrations {

    private Migrations() {
    }

    /** @return how many migrations ran */
    static int run(DataSource dataSource, String schema) {
        int applied = PostgresEventStoreMigrator.migrate(dataSource, schema);
        applied += Flyway.configure().dataSource(dataSource).schemas(schema).defaultSchema(schema)
                .table("server_schema_history").locations("classpath:db/server")
                .placeholders(Map.of("schema", schema)).baselineOnMigrate(true).baselineVersion("0")
                .loggers("slf4j").load().migrate().migrationsExecuted;
        return applied;
    }
}
