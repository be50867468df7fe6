package dev.eventfold.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Calls the store's append function inside a transaction the test controls (to hold it open, pause in it or roll it
 * back), with the same SQL the store runs.
 */
final class RawAppend {

    private RawAppend() {
    }

    /** @return the global positions of the appended events */
    static List<Long> append(Connection connection, String schema, String streamId, List<UUID> ids, String channel)
            throws SQLException {
        String[] types = new String[ids.size()];
        String[] payloads = new String[ids.size()];
        String[] metadata = new String[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            types[i] = "Tortured";
            payloads[i] = "{\"id\":\"" + ids.get(i) + "\"}";
            metadata[i] = "{}";
        }
        try (PreparedStatement statement = connection.prepareStatement(new Sql(schema).append)) {
            statement.setString(1, streamId);
            statement.setShort(2, (short) 0);
            statement.setLong(3, -1);
            statement.setArray(4, connection.createArrayOf("uuid", ids.toArray()));
            statement.setArray(5, connection.createArrayOf("text", types));
            statement.setArray(6, connection.createArrayOf("text", payloads));
            statement.setArray(7, connection.createArrayOf("text", metadata));
            statement.setString(8, channel);
            List<Long> positions = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(2));
                }
            }
            return positions;
        }
    }

    static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_backend_pid()");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
