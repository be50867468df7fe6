package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The statement {@link AppendCoalescer} sends for several callers' single appends to distinct streams. */
final class CoalescedStatement {

    private CoalescedStatement() {
    }

    /**
     * Sends {@code batch} as one {@code append-to-streams} statement on {@code connection} (autocommit: one
     * transaction).
     *
     * @return the rows made, by stream id; a stream missing was not appended to
     * @throws SQLException when the statement failed: nothing of it was written
     */
    static Map<String, AppendResult> execute(Connection connection, String sql, List<AppendCoalescer.Request> batch)
            throws SQLException {
        int n = batch.size();
        String[] streams = new String[n];
        Short[] modes = new Short[n];
        Long[] expected = new Long[n];
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            AppendCoalescer.Request request = batch.get(i);
            streams[i] = request.streamId;
            modes[i] = request.mode;
            expected[i] = request.expected;
            ids[i] = request.eventId;
            types[i] = request.type;
            payloads[i] = request.payload;
            metadata[i] = request.metadata;
        }
        Map<String, AppendResult> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", streams));
            statement.setArray(2, connection.createArrayOf("int2", modes));
            statement.setArray(3, connection.createArrayOf("int8", expected));
            statement.setArray(4, connection.createArrayOf("uuid", ids));
            statement.setArray(5, connection.createArrayOf("text", types));
            statement.setArray(6, connection.createArrayOf("text", payloads));
            statement.setArray(7, connection.createArrayOf("text", metadata));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new AppendResult(rs.getLong(2), List.of(rs.getLong(3)), rs.getLong(4)));
                }
            }
        }
        return rows;
    }
}
