package dev.eventfold.benchmarks;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The read model every projection benchmark writes: one row per order with its version, item count and total, kept by
 * one upsert per event in the projector's transaction. Same table, same statement, same transactions for every kind.
 */
final class ReadModel {

    private final String table;

    ReadModel(DataSource dataSource, String table) {
        this.table = table;
        BenchmarkDatabase.execute(dataSource, "CREATE TABLE " + table + " (order_id text PRIMARY KEY, version bigint "
                + "NOT NULL, items integer NOT NULL, total numeric NOT NULL)");
    }

    String table() {
        return table;
    }

    /** @return the statement to pass to {@link #apply}, prepared on the transaction's connection */
    PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO " + table + " AS t VALUES (?, ?, ?, ?) ON CONFLICT (order_id) "
                + "DO UPDATE SET version = excluded.version, items = excluded.items, total = excluded.total");
    }

    /** Upserts the order's row for one event (the events of the benchmarks are OrderPlaced and quantity changes). */
    static void apply(PreparedStatement upsert, String orderId, long version, OrderEvent event) throws SQLException {
        int items;
        BigDecimal total;
        if (event instanceof OrderEvent.OrderPlaced placed) {
            items = 0;
            Money sum = Money.zero(placed.currency());
            for (OrderLine line : placed.lines()) {
                items += line.quantity();
                sum = sum.plus(line.total());
            }
            total = sum.amount();
        } else if (event instanceof OrderEvent.ItemQuantityChanged changed) {
            items = changed.quantity();
            total = changed.orderTotal().amount();
        } else {
            throw new IllegalArgumentException("unexpected event " + event.getClass().getSimpleName());
        }
        upsert.setString(1, orderId);
        upsert.setLong(2, version);
        upsert.setInt(3, items);
        upsert.setBigDecimal(4, total);
        upsert.executeUpdate();
    }

    /** @return the rows written, to check a run projected everything */
    long rows(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT count(*), coalesce(sum(version + 1), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void drop(DataSource dataSource) {
        BenchmarkDatabase.execute(dataSource, "DROP TABLE IF EXISTS " + table);
    }
}
