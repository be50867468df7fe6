package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/** Catalog queries: the transaction at the xmin horizon, and the schema check at start. */
final class Horizon {

    /**
     * The lowest schema version (the {@code eventstore_schema_version()} function of the migrations) this library
     * works with. Newer schemas are accepted: migrations stay backward compatible, so during a rolling deploy the old
     * replicas keep running on the schema the new ones migrated.
     */
    static final int SCHEMA_VERSION = 12;

    private static final String HOLDER = "SELECT pid, datname, usename, application_name, state, xact_start,"
            + " query_start, extract(epoch FROM now() - xact_start) * 1000"
            + " FROM pg_stat_activity WHERE backend_xid = xid(?::text::xid8)"
            + " UNION ALL SELECT 0, database, owner::text, gid, 'prepared', prepared, NULL,"
            + " extract(epoch FROM now() - prepared) * 1000"
            + " FROM pg_prepared_xacts WHERE transaction = xid(?::text::xid8) LIMIT 1";

    private Horizon() {
    }

    static Optional<ReaderHorizon.HoldingTransaction> holder(Connection connection, long horizon)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(HOLDER)) {
            statement.setString(1, Long.toString(horizon));
            statement.setString(2, Long.toString(horizon));
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp queryStart = rs.getTimestamp(7);
                return Optional.of(new ReaderHorizon.HoldingTransaction(rs.getInt(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(),
                        Optional.ofNullable(queryStart).map(Timestamp::toInstant),
                        Duration.ofMillis((long) rs.getDouble(8))));
            }
        }
    }

    static void checkSchema(DataSource dataSource, String schema) {
        checkSchema(dataSource, schema, SCHEMA_VERSION);
    }

    /** Checks the schema holds an event store of at least {@code needed}, e.g. the key store's version 9. */
    static void checkSchema(DataSource dataSource, String schema, int needed) {
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
