package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.readmodel.OrderQueries;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The read-model routes: the order list ({@code /api/orders}, {@code /api/customers/{id}/orders}), a customer's
 * history and the daily sales report. Eventually consistent with commands (see {@code Prefer: read-your-writes}).
 */
public final class OrderQueryRoutes {

    private static final int MAX_PAGE = 100;

    private final OrderQueries queries;
    private final Clock clock;
    private final ProjectionRunner<?> readModels;
    private final EventStore store;

    /**
     * @param queries the read models
     * @param clock the clock of the report's default range
     * @param readModels the read-model runner (a list's {@code minPosition} waits for it)
     * @param store the event store (a {@code minPosition} must be the position of an event in it)
     */
    public OrderQueryRoutes(OrderQueries queries, Clock clock, ProjectionRunner<?> readModels, EventStore store) {
        this.queries = queries;
        this.clock = clock;
        this.readModels = readModels;
        this.store = store;
    }

    /**
     * {@code minPosition}: a log position the caller saw (a live event's {@code position}); the list waits up to 5 s
     * for the read models to get there, so what the caller was told about shows in the list.
     * {@code Read-Model-Fresh: false} says they did not get there in time (the list is older).
     */
    private void awaitMinPosition(Context ctx) {
        String wanted = ctx.queryParam("minPosition");
        if (wanted == null) {
            return;
        }
        int slash = wanted.indexOf('/');
        if (slash < 1) {
            throw ApiException.invalid("minPosition", "must be a position like 1234/56 (a live event's position)");
        }
        LogPosition position = new LogPosition(
                Params.parseLong("minPosition", wanted.substring(0, slash), 0, Long.MAX_VALUE),
                Params.parseLong("minPosition", wanted.substring(slash + 1), 1, Long.MAX_VALUE));
        // Only a position readers can already see is worth waiting for (the live feed sends no other): a made-up or
        // future one would hold a request thread for the whole wait.
        List<RecordedEvent> at = store.readAll(new LogPosition(position.transactionId(),
                position.globalPosition() - 1), EventFilter.all(), 1);
        if (at.isEmpty() || !at.get(0).logPosition().equals(position)) {
            throw ApiException.invalid("minPosition", "is not the position of an event in the log");
        }
        try {
            ctx.header("Read-Model-Fresh", Boolean.toString(readModels.awaitPosition(position, Duration.ofSeconds(5))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.of(503, "Service Unavailable", "interrupted while waiting for the read models");
        }
    }

    void list(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String customerId = ctx.queryParam("customerId");
        if (!caller.isAdmin()) {
            if (customerId != null && !customerId.equals(caller.subject())) {
                throw ApiException.forbidden("a customer can only list their own orders");
            }
            customerId = caller.subject();
        }
        listFor(ctx, customerId);
    }

    void customerOrders(Context ctx) {
        String customerId = own(ctx, "orders");
        listFor(ctx, customerId);
    }

    void customerHistory(Context ctx) {
        String customerId = own(ctx, "history");
        int limit = (int) Params.number(ctx, "limit", 50, 1, 500);
        OrderJson.json(ctx, Map.of("customerId", customerId, "history", queries.history(customerId, limit)));
    }

    void salesDaily(Context ctx) {
        Caller caller = Requests.caller(ctx);
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("reading sales reports of an order needs the admin role");
        }
        LocalDate from = Params.day("from", ctx.queryParam("from"), LocalDate.now(clock).minusDays(30));
        LocalDate to = Params.day("to", ctx.queryParam("to"), LocalDate.now(clock));
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) > 366) {
            throw ApiException.invalid("to", "must be on or after 'from' and at most 366 days later");
        }
        OrderJson.json(ctx, Map.of("from", from.toString(), "to", to.toString(), "timeZone", "UTC", "days",
                queries.salesDaily(from, to)));
    }

    /** @return the {@code {customerId}} path parameter when the caller may read that customer's data */
    private static String own(Context ctx, String what) {
        Caller caller = Requests.caller(ctx);
        String customerId = ctx.pathParam("customerId");
        if (!caller.isAdmin() && !customerId.equals(caller.subject())) {
            throw ApiException.forbidden("a customer can only see their own " + what);
        }
        return customerId;
    }

    private void listFor(Context ctx, String customerId) {
        String status = ctx.queryParam("status");
        if (status != null) {
            try {
                status = OrderStatus.valueOf(status.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "must be one of PENDING, CONFIRMED, PAID, SHIPPED, DELIVERED, "
                        + "CANCELLED");
            }
        }
        int limit = (int) Params.number(ctx, "limit", 20, 1, MAX_PAGE);
        awaitMinPosition(ctx);
        Params.Cursor cursor = Params.Cursor.parse(ctx.queryParam("cursor"));
        List<Map<String, Object>> rows = queries.orders(new OrderQueries.OrderFilter(customerId, status,
                Params.instant("createdAfter", ctx.queryParam("createdAfter")),
                Params.instant("createdBefore", ctx.queryParam("createdBefore")),
                cursor == null ? null : cursor.createdAt(), cursor == null ? null : cursor.orderId(), limit));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Map<String, Object> last = rows.get(limit - 1);
            next = new Params.Cursor(Instant.parse((String) last.get("createdAt")), (String) last.get("id")).encode();
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("orders", rows);
        response.put("nextCursor", next);
        OrderJson.json(ctx, response);
    }
}
