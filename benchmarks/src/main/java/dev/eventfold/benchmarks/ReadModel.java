package dev.eventfold.benchmarks;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The read model every projection benchmark writes: one row per order with its version, item count and total. Written
 * per event (one upsert per event, as a plain handler does) or batched (the rows of a transaction collected per order,
 * last one wins, and upserted in one JDBC batch at its end, as a batch-aware handler does). Same table, same
 * statement, same transactions for every kind.
 */
final class ReadModel {

    private final String table;
    private final boolean batched;
    private final Map<String, Row> buffer = new LinkedHashMap<>();

    ReadModel(DataSource dataSource, String table, boolean batched) {
        this.table = table;
        this.batched = batched;
        BenchmarkDatabase.execute(dataSource, "CREATE TABLE " + table + " (order_id text PRIMARY KEY, version bigint "
                + "NOT NULL, items integer NOT NULL, total numeric NOT NULL)");
    }

    String table() {
        return table;
    }

    boolean batched() {
        return batched;
    }

    private PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO " + table + " AS t VALUES (?, ?, ?, ?) ON CONFLICT (order_id) "
                + "DO UPDATE SET version = excluded.version, items = excluded.items, total = excluded.total");
    }

    /** One order's row after an event. */
    private record Row(String orderId, long version, int items, BigDecimal total) {
        void bind(PreparedStatement upsert) throws SQLException {
            upsert.setString(1, orderId);
            upsert.setLong(2, version);
            upsert.setInt(3, items);
            upsert.setBigDecimal(4, total);
        }
    }

    /**
     * Applies one event (the events of the benchmarks are OrderPlaced and quantity changes): per event, upserts the
     * order's row now; batched, keeps it for {@link #flush}.
     */
    void apply(Connection connection, String orderId, long version, OrderEvent event) throws SQLException {
        Row row = row(orderId, version, event);
        if (batched) {
            buffer.put(orderId, row);
            return;
        }
        try (PreparedStatement upsert = prepare(connection)) {
            row.bind(upsert);
            upsert.executeUpdate();
        }
    }

    /** Batched: upserts the kept rows in one JDBC batch on the transaction's connection. Per event: nothing. */
    void flush(Connection connection) throws SQLException {
        if (buffer.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = prepare(connection)) {
            for (Row row : buffer.values()) {
                row.bind(upsert);
                upsert.addBatch();
            }
            upsert.executeBatch();
        } finally {
            buffer.clear();
        }
    }

    /** Forgets kept rows of a transaction that did not commit. */
    void discard() {
        buffer.clear();
    }

    private static Row row(String orderId, long version, OrderEvent event) {
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
        return new Row(orderId, version, items, total);
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
