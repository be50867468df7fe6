package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The transaction of an initial load ({@link StreamImport#initialLoad()}): the events and streams tables locked
 * against every other session, checked to be empty, the events table's indexes other than its primary key dropped,
 * then every chunk of streams written as an import writes it ({@code streams} rows, then {@code COPY}), and at the end
 * the indexes built again from their saved definitions before the commit. PostgreSQL builds an index from sorted rows
 * several times faster than it maintains one row by row, which is what {@code pg_restore} does too. Everything is one
 * transaction, DDL included, so a failure anywhere (a duplicate event id found while the unique index is built, a lost
 * connection) leaves the store as it was: empty, with all its indexes.
 */
final class InitialLoad implements AutoCloseable {

    /** How long to wait for the tables: past it, the store is in use and an initial load is the wrong tool. */
    static final int LOCK_WAIT_SECONDS = 10;

    private final String schema;
    private final ImportWriter writer;
    private final Connection connection;
    private final List<String> rebuild = new ArrayList<>();

    private InitialLoad(String schema, Connection connection) {
        this.schema = schema;
        this.writer = new ImportWriter(schema);
        this.connection = connection;
    }

    /**
     * Opens the transaction, takes the tables and drops the indexes.
     *
     * @throws InvalidRequestException if the store holds events or streams, or another session kept the tables
     */
    static InitialLoad begin(DataSource dataSource, String schema) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            InitialLoad load = new InitialLoad(schema, connection);
            load.prepare();
            return load;
        } catch (SQLException e) {
            closeQuietly(connection);
            if ("55P03".equals(e.getSQLState())) {
                throw new InvalidRequestException("an initial load needs the store to itself: another session kept "
                        + schema + ".events or " + schema + ".streams for more than " + LOCK_WAIT_SECONDS + " s; run "
                        + "it before the service takes traffic, or import without initialLoad()");
            }
            throw SqlErrors.translate(e, "begin an initial load", null, null, schema);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private void prepare() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT_SECONDS + "s'");
            statement.execute("LOCK TABLE " + schema + ".events, " + schema + ".streams IN ACCESS EXCLUSIVE MODE");
            try (ResultSet rs = statement.executeQuery("SELECT (SELECT count(*) FROM " + schema + ".events), "
                    + "(SELECT count(*) FROM " + schema + ".streams)")) {
                rs.next();
                if (rs.getLong(1) > 0 || rs.getLong(2) > 0) {
                    throw new InvalidRequestException("an initial load needs an empty store, and " + schema
                            + " holds " + rs.getLong(1) + " events in " + rs.getLong(2) + " streams; import into it "
                            + "without initialLoad()");
                }
            }
            statement.execute("SET LOCAL lock_timeout = 0");
            List<String> drop = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT c.conname, pg_get_constraintdef(c.oid), "
                    + "i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    + "LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
                    + "WHERE i.indrelid = '" + schema + ".events'::regclass AND NOT i.indisprimary "
                    + "ORDER BY i.indexrelid")) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        String constraint = quoteIdentifier(rs.getString(1));
                        drop.add("ALTER TABLE " + schema + ".events DROP CONSTRAINT " + constraint);
                        rebuild.add("ALTER TABLE " + schema + ".events ADD CONSTRAINT " + constraint + " "
                                + rs.getString(2));
                    } else {
                        drop.add("DROP INDEX " + rs.getString(3));
                        rebuild.add(rs.getString(4));
                    }
                }
            }
            for (String sql : drop) {
                statement.execute(sql);
            }
        }
    }

    /** Writes one chunk of checked streams into the open transaction; @return its events */
    int write(List<StreamImport.Stream> chunk) {
        try {
            List<String> repeated = writer.createStreams(connection, chunk);
            if (!repeated.isEmpty()) {
                // The store was empty: a stream that "exists" is one this load wrote already.
                throw new InvalidEventException("stream '" + repeated.get(0) + "' appears twice in one initial load; "
                        + "nothing was imported");
            }
            ImportWriter.copy(writer.copyIn(connection), chunk);
            return ImportWriter.events(chunk);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, "initial load of " + chunk.size() + " streams", chunk.get(0).streamId(), null,
                    schema);
        }
    }

    /**
     * Builds the indexes again and commits. The planner's statistics of the loaded table follow with autovacuum's next
     * analyze (it took a tenth of a 100,000-event load to do it here).
     */
    void commit() {
        String current = null;
        try (Statement statement = connection.createStatement()) {
            for (String sql : rebuild) {
                current = sql;
                statement.execute(sql);
            }
            current = null;
            connection.commit();
        } catch (SQLException e) {
            if (SqlErrors.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new InvalidEventException("the initial load holds an event id twice, so " + current
                        + " failed (" + e.getMessage() + "); nothing was imported");
            }
            throw SqlErrors.translate(e, "finish an initial load", null, null, schema);
        }
    }

    /** Rolls back unless {@link #commit()} succeeded, and returns the connection to the pool. */
    @Override
    public void close() {
        closeQuietly(connection);
    }

    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // closed or broken (the transaction is gone with it): the pool discards it
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}
