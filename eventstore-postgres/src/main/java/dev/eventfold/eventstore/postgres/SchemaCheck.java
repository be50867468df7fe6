package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The check every PostgreSQL component makes when it is built: the schema holds an event store, recent enough. */
final class SchemaCheck {

    /**
     * The lowest schema version (the {@code eventstore_schema_version()} function of the migrations) the event store
     * works with. Newer schemas are accepted: migrations stay backward compatible, so during a rolling deploy the old
     * replicas keep running on the schema the new ones migrated.
     */
    static final int SCHEMA_VERSION = 13;

    private SchemaCheck() {
    }

    static void check(DataSource dataSource, String schema) {
        check(dataSource, schema, SCHEMA_VERSION);
    }

    /** Checks the schema holds an event store of at least {@code needed}, e.g. the key store's version 10. */
    static void check(DataSource dataSource, String schema, int needed) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT p.oid IS NOT NULL FROM pg_namespace n LEFT JOIN pg_proc p ON p.pronamespace = n.oid"
                                + " AND p.proname = 'eventstore_schema_version' WHERE n.nspname = ?")) {
            statement.setString(1, schema);
            boolean present;
            try (ResultSet rs = statement.executeQuery()) {
                present = rs.next() && rs.getBoolean(1);
            }
            if (!present) {
                throw new EventStoreUnavailableException("schema '" + schema + "' holds no event store; run "
                        + "PostgresEventStoreMigrator.migrate(dataSource, \"" + schema + "\") or 'reference-server "
                        + "migrate'", null);
            }
            try (PreparedStatement version = connection.prepareStatement(
                    "SELECT " + schema + ".eventstore_schema_version()");
                    ResultSet rs = version.executeQuery()) {
                rs.next();
                int found = rs.getInt(1);
                if (found < needed) {
                    throw new EventStoreUnavailableException("schema '" + schema + "' has version " + found
                            + " but this library needs " + needed + " or later; run PostgresEventStoreMigrator.migrate"
                            + " or 'reference-server migrate'", null);
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.unavailable(e, "check schema '" + schema + "'");
        }
    }
}
