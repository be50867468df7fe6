package dev.eventfold.server.readmodel;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;

/**
 * The read side of the order read models, through Jdbi on the server's pool or its read replica (see
 * {@link ReadModelSource}): the order list (filters and a stable cursor), a customer's history and the daily sales. Rows come back as JSON-ready maps (amounts as plain decimal
 * strings, times as ISO-8601).
 */
public final class OrderQueries {

    private final ReadModelSource source;
    private final OrderReadModels models;

    /**
     * @param source where queries go (the primary, or a read replica fresh enough)
     * @param models the tables and their active version
     */
    public OrderQueries(ReadModelSource source, OrderReadModels models) {
        this.source = source;
        this.models = models;
    }

    /**
     * The order list's filter. Null fields do not filter.
     *
     * @param customerId only this customer's orders
     * @param status only orders in this status (an {@code OrderStatus} name)
     * @param createdAfter created at or after
     * @param createdBefore created before
     * @param afterCreatedAt the cursor's creation time: orders before it (with {@code afterOrderId})
     * @param afterOrderId the cursor's order id
     * @param limit rows per page
     */
    public record OrderFilter(String customerId, String status, Instant createdAfter, Instant createdBefore,
            Instant afterCreatedAt, String afterOrderId, int limit) {
    }

    /**
     * @param filter what to list
     * @return up to {@code limit + 1} rows, newest first (one more than a page says whether another page follows)
     */
    public List<Map<String, Object>> orders(OrderFilter filter) {
        int version = models.activeVersion();
        StringBuilder sql = new StringBuilder("SELECT order_id, customer_id, status, currency, total, line_count, "
                + "created_at, updated_at, version FROM " + models.table("order_summaries", version)
                + " WHERE NOT hidden");
        Map<String, Object> args = new LinkedHashMap<>();
        condition(sql, args, " AND customer_id = :customer", "customer", filter.customerId());
        condition(sql, args, " AND status = :status", "status", filter.status());
        condition(sql, args, " AND created_at >= :after", "after", timestamp(filter.createdAfter()));
        condition(sql, args, " AND created_at < :before", "before", timestamp(filter.createdBefore()));
        if (filter.afterCreatedAt() != null) {
            sql.append(" AND (created_at, order_id) < (:cursorAt, :cursorId)");
            args.put("cursorAt", timestamp(filter.afterCreatedAt()));
            args.put("cursorId", filter.afterOrderId());
        }
        sql.append(" ORDER BY created_at DESC, order_id DESC LIMIT :limit");
        args.put("limit", filter.limit() + 1);
        return rows(version, sql.toString(), args, (rs, ctx) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getString(1));
            row.put("customerId", rs.getString(2));
            row.put("status", rs.getString(3));
            row.put("currency", rs.getString(4));
            row.put("total", rs.getBigDecimal(5).toPlainString());
            row.put("lineCount", rs.getInt(6));
            row.put("createdAt", rs.getTimestamp(7).toInstant().toString());
            row.put("updatedAt", rs.getTimestamp(8).toInstant().toString());
            row.put("version", rs.getLong(9));
            return row;
        });
    }

    /**
     * @param customerId the customer
     * @return how many orders the read model knows for the customer
     */
    public long countOrders(String customerId) {
        int version = models.activeVersion();
        return rows(version, "SELECT count(*) FROM " + models.table("order_summaries", version)
                + " WHERE customer_id = :customer", Map.of("customer", customerId), (rs, ctx) -> rs.getLong(1)).get(0);
    }

    /**
     * @param customerId the customer
     * @param limit the most rows
     * @return the customer's order events, newest first
     */
    public List<Map<String, Object>> history(String customerId, int limit) {
        int version = models.activeVersion();
        return rows(version, "SELECT order_id, version, event, status, total, currency, at FROM "
                + models.table("customer_order_history", version) + " WHERE customer_id = :customer AND NOT hidden "
                + "ORDER BY at DESC, order_id DESC, version DESC LIMIT :limit", Map.of("customer", customerId,
                "limit", limit), (rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("orderId", rs.getString(1));
                    row.put("version", rs.getLong(2));
                    row.put("event", rs.getString(3));
                    row.put("status", rs.getString(4));
                    row.put("total", rs.getBigDecimal(5).toPlainString());
                    row.put("currency", rs.getString(6));
                    row.put("at", rs.getTimestamp(7).toInstant().toString());
                    return row;
                });
    }

    /**
     * @param from the first day (UTC)
     * @param to the last day
     * @return sales per day and currency
     */
    public List<Map<String, Object>> salesDaily(LocalDate from, LocalDate to) {
        int version = models.activeVersion();
        return rows(version, "SELECT day, currency, orders, gross, refunds FROM " + models.table("sales_daily", version)
                + " WHERE day BETWEEN :from AND :to ORDER BY day, currency", Map.of("from", from, "to", to), (rs, ctx) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("day", rs.getObject(1, LocalDate.class).toString());
                    row.put("currency", rs.getString(2));
                    row.put("orders", rs.getLong(3));
                    row.put("gross", rs.getBigDecimal(4).toPlainString());
                    row.put("refunds", rs.getBigDecimal(5).toPlainString());
                    row.put("net", rs.getBigDecimal(4).subtract(rs.getBigDecimal(5)).toPlainString());
                    return row;
                });
    }

    private static void condition(StringBuilder sql, Map<String, Object> args, String clause, String name,
            Object value) {
        if (value != null) {
            sql.append(clause);
            args.put(name, value);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private <T> List<T> rows(int version, String sql, Map<String, Object> args,
            org.jdbi.v3.core.mapper.RowMapper<T> mapper) {
        try {
            return source.query(version, jdbi -> jdbi.withHandle(handle -> {
                Query query = handle.createQuery(sql);
                args.forEach(query::bind);
                return query.map(mapper).list();
            }));
        } catch (JdbiException e) {
            throw new OrderReadModels.ReadModelUnavailableException("the read model cannot be read right now", e);
        }
    }
}
