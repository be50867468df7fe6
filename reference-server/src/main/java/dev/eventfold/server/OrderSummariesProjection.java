package dev.eventfold.server;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.views.CustomerHistoryEntry;
import dev.eventfold.orders.views.DailySales;
import dev.eventfold.orders.views.OrderSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the order read models up to date from order events, all in the runner's transaction (exactly once):
 * {@code order_summaries_v<n>}, {@code customer_order_history_v<n>} and {@code sales_daily_v<n>}. The row logic is
 * pure code of {@code order-domain} ({@link OrderSummary#apply}, {@link CustomerHistoryEntry#of},
 * {@link DailySales#change}).
 */
final class OrderSummariesProjection implements Projection<Connection> {

    static final String NAME = "order-read-models";
    static final List<String> TABLES = List.of("order_summaries", "customer_order_history", "sales_daily");

    private final String schema;

    OrderSummariesProjection(String schema) {
        this.schema = schema;
    }

    static String table(String schema, int version) {
        return table(schema, "order_summaries", version);
    }

    static String table(String schema, String name, int version) {
        return schema + "." + name + "_v" + version;
    }

    @Override
    public EventFilter filter() {
        return EventFilter.category(Orders.CATEGORY);
    }

    @Override
    public void reset(ProjectionContext<Connection> context) throws SQLException {
        try (Statement statement = context.transaction().createStatement()) {
            for (String name : TABLES) {
                String table = table(schema, name, context.version());
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (LIKE " + table(schema, name, 1)
                        + " INCLUDING ALL)");
                statement.execute("TRUNCATE " + table);
            }
        }
    }

    @Override
    public void apply(ProjectionContext<Connection> context, RecordedEvent recorded) throws SQLException {
        String table = table(schema, context.version());
        String orderId = recorded.streamId().substring(Orders.CATEGORY.length() + 1);
        OrderEvent event = Orders.EVENT_TYPES.fromRecorded(recorded);
        Connection connection = context.transaction();
        OrderSummary current = null;
        try (PreparedStatement select = connection.prepareStatement("SELECT customer_id, status, currency, total, "
                + "line_count, created_at, updated_at, version FROM " + table + " WHERE order_id = ?")) {
            select.setString(1, orderId);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    Currency currency = Currency.getInstance(rs.getString(3));
                    current = new OrderSummary(orderId, rs.getString(1), OrderStatus.valueOf(rs.getString(2)),
                            currency, new Money(rs.getBigDecimal(4), currency), rs.getInt(5),
                            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getLong(8));
                }
            }
        }
        if (current != null && current.version() >= recorded.streamVersion()) {
            return; // already applied (a replayed dead letter, say)
        }
        OrderSummary row = OrderSummary.apply(current, orderId, recorded.streamVersion(), event);
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table + " AS s (order_id, "
                + "customer_id, status, currency, total, line_count, created_at, updated_at, version) VALUES (?, ?, "
                + "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, total = "
                + "excluded.total, line_count = excluded.line_count, updated_at = excluded.updated_at, version = "
                + "excluded.version")) {
            upsert.setString(1, row.orderId());
            upsert.setString(2, row.customerId());
            upsert.setString(3, row.status().name());
            upsert.setString(4, row.currency().getCurrencyCode());
            upsert.setBigDecimal(5, row.total().amount());
            upsert.setInt(6, row.lineCount());
            upsert.setTimestamp(7, Timestamp.from(row.createdAt()));
            upsert.setTimestamp(8, Timestamp.from(row.updatedAt()));
            upsert.setLong(9, row.version());
            upsert.executeUpdate();
        }
        CustomerHistoryEntry entry = CustomerHistoryEntry.of(row, event);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table(schema,
                "customer_order_history", context.version()) + " (customer_id, order_id, version, event, status, "
                + "total, currency, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, entry.customerId());
            insert.setString(2, entry.orderId());
            insert.setLong(3, entry.version());
            insert.setString(4, entry.event());
            insert.setString(5, entry.status().name());
            insert.setBigDecimal(6, entry.total().amount());
            insert.setString(7, entry.total().currency().getCurrencyCode());
            insert.setTimestamp(8, Timestamp.from(entry.at()));
            insert.executeUpdate();
        }
        Optional<DailySales.Change> sale = DailySales.change(event);
        if (sale.isPresent()) {
            DailySales.Change change = sale.get();
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table(schema, "sales_daily",
                    context.version()) + " AS d (day, currency, orders, gross, refunds) VALUES (?, ?, ?, ?, ?) ON "
                    + "CONFLICT (day, currency) DO UPDATE SET orders = d.orders + excluded.orders, gross = d.gross + "
                    + "excluded.gross, refunds = d.refunds + excluded.refunds")) {
                upsert.setObject(1, change.day());
                upsert.setString(2, change.currency().getCurrencyCode());
                upsert.setLong(3, change.orders());
                upsert.setBigDecimal(4, change.gross().amount());
                upsert.setBigDecimal(5, change.refunds().amount());
                upsert.executeUpdate();
            }
        }
    }
}
