package dev.eventfold.server.readmodel;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.audit.Administration;
import dev.eventfold.eventstore.audit.AuditTrail;
import dev.eventfold.eventstore.jdbi.JdbiProjection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.views.CustomerHistoryEntry;
import dev.eventfold.orders.views.DailySales;
import dev.eventfold.orders.views.OrderSummary;
import java.sql.Connection;
import java.sql.Timestamp;
import java.util.Currency;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Writes the order read models from order events through a Jdbi handle over the runner's transaction (exactly
 * once). The row logic is pure code of {@code order-domain} ({@link OrderSummary#apply},
 * {@link CustomerHistoryEntry#of}, {@link DailySales#change}); this class holds only the SQL. It also reads the audit
 * trail's entries from the log: a tombstoned order leaves the order list and the customer's history (its sales stay
 * in the daily totals: they happened), a soft-deleted one is hidden from them until it is restored, in log order, so a
 * rebuild ends the same way.
 */
final class OrderReadModelWriter implements JdbiProjection {

    private final String schema;

    OrderReadModelWriter(String schema) {
        this.schema = schema;
    }

    @Override
    public EventFilter filter() {
        // Orders and the audit trail: a filter holds one category, and the server's log holds only these two.
        return EventFilter.all();
    }

    @Override
    public void reset(Handle handle, ProjectionContext<Connection> context) {
        for (String name : OrderReadModels.TABLES) {
            String table = OrderReadModels.table(schema, name, context.version());
            handle.execute("CREATE TABLE IF NOT EXISTS " + table + " (LIKE " + OrderReadModels.table(schema, name, 1)
                    + " INCLUDING ALL)");
            handle.execute("TRUNCATE " + table);
        }
    }

    @Override
    public void apply(Handle handle, RecordedEvent recorded, ProjectionContext<Connection> context) {
        int version = context.version();
        if (!recorded.category().equals(Orders.CATEGORY)) {
            AuditTrail.entryOf(recorded).filter(entry -> entry.target().startsWith(Orders.CATEGORY + "-"))
                    .ifPresent(entry -> administered(handle, version, entry.action(),
                            entry.target().substring(Orders.CATEGORY.length() + 1)));
            return;
        }
        String orderId = recorded.streamId().substring(Orders.CATEGORY.length() + 1);
        OrderEvent event = Orders.EVENT_TYPES.fromRecorded(recorded);
        OrderSummary current = handle.createQuery("SELECT customer_id, status, currency, total, line_count, "
                + "created_at, updated_at, version FROM " + OrderReadModels.table(schema, "order_summaries", version)
                + " WHERE order_id = :id").bind("id", orderId).map((rs, ctx) -> {
                    Currency currency = Currency.getInstance(rs.getString(3));
                    return new OrderSummary(orderId, rs.getString(1), OrderStatus.valueOf(rs.getString(2)), currency,
                            new Money(rs.getBigDecimal(4), currency), rs.getInt(5), rs.getTimestamp(6).toInstant(),
                            rs.getTimestamp(7).toInstant(), rs.getLong(8));
                }).findOne().orElse(null);
        if (current != null && current.version() >= recorded.streamVersion()) {
            return; // already applied (a replayed dead letter, say)
        }
        OrderSummary row = OrderSummary.apply(current, orderId, recorded.streamVersion(), event);
        handle.createUpdate("INSERT INTO " + OrderReadModels.table(schema, "order_summaries", version) + " AS s "
                + "(order_id, customer_id, status, currency, total, line_count, created_at, updated_at, version) "
                + "VALUES (:id, :customer, :status, :currency, :total, :lines, :created, :updated, :version) "
                + "ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, total = excluded.total, "
                + "line_count = excluded.line_count, updated_at = excluded.updated_at, version = excluded.version")
                .bind("id", row.orderId()).bind("customer", row.customerId()).bind("status", row.status().name())
                .bind("currency", row.currency().getCurrencyCode()).bind("total", row.total().amount())
                .bind("lines", row.lineCount()).bind("created", Timestamp.from(row.createdAt()))
                .bind("updated", Timestamp.from(row.updatedAt())).bind("version", row.version()).execute();
        CustomerHistoryEntry entry = CustomerHistoryEntry.of(row, event);
        handle.createUpdate("INSERT INTO " + OrderReadModels.table(schema, "customer_order_history", version)
                + " (customer_id, order_id, version, event, status, total, currency, at) VALUES (:customer, :id, "
                + ":version, :event, :status, :total, :currency, :at)")
                .bind("customer", entry.customerId()).bind("id", entry.orderId()).bind("version", entry.version())
                .bind("event", entry.event()).bind("status", entry.status().name())
                .bind("total", entry.total().amount()).bind("currency", entry.total().currency().getCurrencyCode())
                .bind("at", Timestamp.from(entry.at())).execute();
        Optional<DailySales.Change> sale = DailySales.change(event);
        if (sale.isPresent()) {
            DailySales.Change change = sale.get();
            handle.createUpdate("INSERT INTO " + OrderReadModels.table(schema, "sales_daily", version) + " AS d "
                    + "(day, currency, orders, gross, refunds) VALUES (:day, :currency, :orders, :gross, :refunds) "
                    + "ON CONFLICT (day, currency) DO UPDATE SET orders = d.orders + excluded.orders, "
                    + "gross = d.gross + excluded.gross, refunds = d.refunds + excluded.refunds")
                    .bind("day", change.day()).bind("currency", change.currency().getCurrencyCode())
                    .bind("orders", change.orders()).bind("gross", change.gross().amount())
                    .bind("refunds", change.refunds().amount()).execute();
        }
    }

    /** A tombstone drops the order's rows; a soft delete hides them until a restore. */
    private void administered(Handle handle, int version, String action, String orderId) {
        String change = switch (action) {
            case Administration.TOMBSTONE -> "DELETE FROM %s WHERE order_id = :id";
            case Administration.SOFT_DELETE -> "UPDATE %s SET hidden = true WHERE order_id = :id";
            case Administration.RESTORE -> "UPDATE %s SET hidden = false WHERE order_id = :id";
            default -> null;
        };
        if (change == null) {
            return;
        }
        for (String table : new String[] {"order_summaries", "customer_order_history"}) {
            handle.createUpdate(String.format(change, OrderReadModels.table(schema, table, version)))
                    .bind("id", orderId).execute();
        }
    }
}
