package dev.eventfold.benchmarks;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The read model every projection benchmark writes: one row per order with its version, item count and total. Written
 * per event (one upsert per event, sent at once, as a plain handler does), pipelined (one upsert per event, all of a
 * transaction's sent in one JDBC batch at its end: what {@code PipelinedWrites} does for Eventfold) or batched (the
 * rows of a transaction collected per order, last one wins, and upserted in one JDBC batch at its end, as a
 * batch-aware handler does). Same table, same statement, same transactions for every kind.
 */
final class ReadModel {

    private final String table;
    private final String writes;
    private final Map<String, Row> buffer = new LinkedHashMap<>();
    private final List<Row> pipeline = new ArrayList<>();

    /** @param writes {@code per-event}, {@code pipelined} or {@code batched} */
    ReadModel(DataSource dataSource, String table, String writes) {
        if (!List.of("per-event", "pipelined", "batched").contains(writes)) {
            throw new IllegalArgumentException("unknown kind of writes " + writes);
        }
        this.table = table;
        this.writes = writes;
        BenchmarkDatabase.execute(dataSource, "CREATE TABLE " + table + " (order_id text PRIMARY KEY, version bigint "
                + "NOT NULL, items integer NOT NULL, total numeric NOT NULL)");
    }

    String table() {
        return table;
    }

    /** @return whether rows wait for {@link #flush} (pipelined or batched) */
    boolean buffered() {
        return !writes.equals("per-event");
    }

    /** @return whether every event's upsert waits for {@link #flush} */
    boolean pipelined() {
        return writes.equals("pipelined");
    }

    /** @return the upsert every kind sends, with four parameters: order id, version, items, total */
    String upsert() {
        return "INSERT INTO " + table + " AS t VALUES (?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET version = "
                + "excluded.version, items = excluded.items, total = excluded.total";
    }

    private PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(upsert());
    }

    /** @return the upsert's parameters after {@code event} */
    static Object[] parameters(String orderId, long version, OrderEvent event) {
        Row row = row(orderId, version, event);
        return new Object[] {row.orderId(), row.version(), row.items(), row.total()};
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
        if (pipelined()) {
            pipeline.add(row);
            return;
        }
        if (buffered()) {
            buffer.put(orderId, row);
            return;
        }
        try (PreparedStatement upsert = prepare(connection)) {
            row.bind(upsert);
            upsert.executeUpdate();
        }
    }

    /** Pipelined or batched: upserts the kept rows in one JDBC batch on the transaction's connection. */
    void flush(Connection connection) throws SQLException {
        java.util.Collection<Row> rows = pipelined() ? pipeline : buffer.values();
        if (rows.isEmpty()) {
            return;
        }
        // Pipelined rows may repeat an order: sent behind an empty WITH, as PipelinedWrites does, so that pgjdbc's
        // reWriteBatchedInserts cannot merge them into one statement that would update a row twice.
        try (PreparedStatement upsert = pipelined() ? connection.prepareStatement("WITH pipelined AS (SELECT) "
                + upsert()) : prepare(connection)) {
            for (Row row : rows) {
                row.bind(upsert);
                upsert.addBatch();
            }
            upsert.executeBatch();
        } finally {
            discard();
        }
    }

    /** Forgets kept rows of a transaction that did not commit. */
    void discard() {
        buffer.clear();
        pipeline.clear();
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
