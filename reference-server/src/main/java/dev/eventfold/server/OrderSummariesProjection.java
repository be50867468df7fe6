package dev.eventfold.server;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.views.OrderSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Currency;

/**
 * Keeps {@code order_summaries_v<n>} up to date from order events, in the runner's transaction (exactly once). The
 * row logic is {@link OrderSummary#apply}, pure code of {@code order-domain}.
 */
final class OrderSummariesProjection implements Projection<Connection> {

    static final String NAME = "order-summaries";

    private final String schema;

    OrderSummariesProjection(String schema) {
        this.schema = schema;
    }

    static String table(String schema, int version) {
        return schema + ".order_summaries_v" + version;
    }

    @Override
    public EventFilter filter() {
        return EventFilter.category(Orders.CATEGORY);
    }

    @Override
    public void reset(ProjectionContext<Connection> context) throws SQLException {
        String table = table(schema, context.version());
        try (Statement statement = context.transaction().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (LIKE " + table(schema, 1)
                    + " INCLUDING ALL)");
            statement.execute("TRUNCATE " + table);
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
    }
}
