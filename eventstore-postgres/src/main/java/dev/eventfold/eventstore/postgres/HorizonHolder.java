package dev.eventfold.eventstore.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;

/**
 * Who holds the xmin horizon back: the backend (or prepared transaction) whose transaction id is the horizon, from
 * the statistics views, for {@link ReaderHorizon}'s diagnostics.
 */
final class HorizonHolder {

    private static final String HOLDER = "SELECT pid, datname, usename, application_name, state, xact_start,"
            + " query_start, extract(epoch FROM now() - xact_start) * 1000"
            + " FROM pg_stat_activity WHERE backend_xid = xid(?::text::xid8)"
            + " UNION ALL SELECT 0, database, owner::text, gid, 'prepared', prepared, NULL,"
            + " extract(epoch FROM now() - prepared) * 1000"
            + " FROM pg_prepared_xacts WHERE transaction = xid(?::text::xid8) LIMIT 1";

    private HorizonHolder() {
    }

    static Optional<ReaderHorizon.HoldingTransaction> find(Connection connection, long horizon)
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
}
