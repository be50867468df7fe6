package dev.eventfold.examples.forwarder;

import dev.eventfold.eventstore.LogPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The forwarder's own checkpoint: the log position of the last event it forwarded, one row per forwarder in the
 * table {@code <schema>.forwarder_checkpoint}. The event store keeps no position for a plain subscription; whoever
 * subscribes keeps its own.
 */
public final class ForwarderCheckpoint {

    private final DataSource dataSource;
    private final String table;
    private final String name;

    private ForwarderCheckpoint(DataSource dataSource, String schema, String name) {
        this.dataSource = dataSource;
        this.table = schema + ".forwarder_checkpoint";
        this.name = name;
    }

    /**
     * Creates the table if needed.
     *
     * @param dataSource the database
     * @param schema the schema of the table (here: the event store's)
     * @param name the forwarder's name: its row
     * @return the checkpoint
     * @throws SQLException if the table cannot be created
     */
    public static ForwarderCheckpoint create(DataSource dataSource, String schema, String name) throws SQLException {
        ForwarderCheckpoint checkpoint = new ForwarderCheckpoint(dataSource, schema, name);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + checkpoint.table + " (name text PRIMARY KEY, "
                    + "transaction_id bigint NOT NULL, global_position bigint NOT NULL)");
        }
        return checkpoint;
    }

    /**
     * @return the position of the last event forwarded, {@link LogPosition#START} if none
     * @throws SQLException if the database cannot be read
     */
    public LogPosition load() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT transaction_id, global_position FROM " + table + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new LogPosition(rs.getLong(1), rs.getLong(2)) : LogPosition.START;
            }
        }
    }

    /**
     * @param position the position of an event that is now in Redis
     * @throws SQLException if it cannot be written
     */
    public void save(LogPosition position) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                        + " VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,"
                        + " global_position = excluded.global_position")) {
            upsert.setString(1, name);
            upsert.setLong(2, position.transactionId());
            upsert.setLong(3, position.globalPosition());
            upsert.executeUpdate();
        }
    }
}
