package dev.eventfold.server;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.AggregateState;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.orders.InvalidOrderData;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import dev.eventfold.orders.OrderRuleViolation;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.PersonalData;
import dev.eventfold.server.auth.Caller;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The {@code /api/orders} and {@code /api/customers} routes. */
final class OrderApi {

    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern ETAG = Pattern.compile("(W/)?\"(-1|\\d{1,18})\"");
    /** PostgreSQL's timestamps stop at year 294276; the API accepts years 1 to 9999 and says so. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final int MAX_PAGE = 100;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final EventStore store;
    private final DataSource dataSource;
    private final String schema;
    private final Currency defaultCurrency;
    private final Clock clock;
    private final dev.eventfold.eventstore.projection.ProjectionRunner<Connection> readModels;

    OrderApi(AggregateRepository<OrderCommand, Order, OrderEvent> orders, EventStore store, DataSource dataSource,
            String schema, Currency defaultCurrency, Clock clock,
            dev.eventfold.eventstore.projection.ProjectionRunner<Connection> readModels) {
        this.readModels = readModels;
        this.orders = orders;
        this.store = store;
        this.dataSource = dataSource;
        this.schema = schema;
        this.defaultCurrency = defaultCurrency;
        this.clock = clock;
    }

    // ---- request bodies ----

    record ItemBody(String productId, String productName, Integer quantity, BigDecimal price) {
    }

    record AddressBody(String line1, String line2, String city, String postalCode, String country) {
    }

    record CustomerBody(String name, String email, AddressBody shippingAddress) {
    }

    record CreateBody(String customerId, List<ItemBody> items, String currency, CustomerBody customer) {
    }

    record PayBody(BigDecimal amount, String currency, String paymentReference) {
    }

    record ShipBody(String carrier, String trackingNumber) {
    }

    record CancelBody(String reason) {
    }

    record QuantityBody(Integer quantity) {
    }

    // ---- handlers ----

    void create(Context ctx) {
        Caller caller = Server.caller(ctx);
        CreateBody body = Json.body(ctx, CreateBody.class);
        String customerId = body.customerId() == null ? caller.subject() : body.customerId();
        if (!caller.isAdmin() && !customerId.equals(caller.subject())) {
            throw ApiException.forbidden("a customer can only place orders for themselves");
        }
        Currency currency = body.currency() == null ? defaultCurrency : Money.currency(body.currency());
        if (body.items() == null || body.items().isEmpty()) {
            throw ApiException.invalid("items", "must contain at least one item");
        }
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < body.items().size(); i++) {
            lines.add(line("items[" + i + "]", body.items().get(i), currency));
        }
        String key = ctx.header("Idempotency-Key");
        Metadata metadata = metadata(ctx, caller);
        String orderId;
        String requestHash = null;
        if (key == null) {
            orderId = UUID.randomUUID().toString();
        } else {
            if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
                throw ApiException.of(400, "Bad Request", "Idempotency-Key must be 1 to 200 characters of "
                        + "A-Z a-z 0-9 . _ : -");
            }
            // The order id follows from caller and key, so a retry lands on the same stream whatever happened.
            orderId = UUID.nameUUIDFromBytes(("order:" + caller.subject() + ":" + key)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            requestHash = sha256(ctx.bodyAsBytes());
            metadata = metadata.withHeader("idempotencyKey", key).withHeader("requestHash", requestHash);
        }
        CommandResult<Order, OrderEvent> result;
        try {
            result = orders.handle(orderId, new OrderCommand.PlaceOrder(orderId, customerId, currency, lines,
                    personal(body.customer()), clock.instant()), ExpectedVersion.any(), metadata);
        } catch (OrderRuleViolation.OrderAlreadyExists exists) {
            if (key == null) {
                throw exists;
            }
            RecordedEvent first = store.readStreamForward(orders.streamId(orderId), 0, 1).get(0);
            if (!requestHash.equals(first.metadata().headers().get("requestHash"))) {
                throw new ApiException(422, "Unprocessable Content", "this Idempotency-Key was already used for a "
                        + "different request; use a new key for a new order",
                        List.of(Map.of("field", "Idempotency-Key", "message", "was used for a different request")),
                        Map.of());
            }
            AggregateState<Order> original = orders.loadAtVersion(orderId, 0).orElseThrow();
            ctx.status(201).header("Location", "/api/orders/" + orderId).header("Idempotent-Replayed", "true");
            respond(ctx, original.state(), original.version());
            return;
        }
        ctx.status(201).header("Location", "/api/orders/" + orderId);
        readYourWrites(ctx, result);
        respond(ctx, result.state(), result.version());
    }

    /**
     * With {@code Prefer: read-your-writes}, waits (up to 5 s) until the read models have applied the command's events,
     * so a list read right after shows them; {@code Preference-Applied} says whether they got there in time.
     */
    private void readYourWrites(Context ctx, CommandResult<Order, OrderEvent> result) {
        String prefer = ctx.header("Prefer");
        if (prefer == null || !prefer.toLowerCase().contains("read-your-writes") || result.position() == null) {
            return;
        }
        try {
            boolean reached = readModels.awaitPosition(result.position(), java.time.Duration.ofSeconds(5));
            ctx.header("Preference-Applied", reached ? "read-your-writes" : "none");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.header("Preference-Applied", "none");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void get(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        String atVersion = ctx.queryParam("atVersion");
        String at = ctx.queryParam("at");
        AggregateState<Order> state;
        if (atVersion != null) {
            long version = parseLong("atVersion", atVersion, 0, Long.MAX_VALUE);
            state = orders.loadAtVersion(orderId, version).orElseThrow(() -> ApiException.notFound("order " + orderId
                    + " has no version " + version));
        } else if (at != null) {
            Instant instant = instant("at", at);
            state = orders.loadAsOf(orderId, instant).orElseThrow(() -> ApiException.notFound("order " + orderId
                    + " did not exist at " + at));
        } else {
            state = existing(orderId);
        }
        owned(caller, state.state());
        respond(ctx, state.state(), state.version());
    }

    void events(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        owned(caller, existing(orderId).state());
        long from = parseLong("fromVersion", Optional.ofNullable(ctx.queryParam("fromVersion")).orElse("0"), 0,
                Long.MAX_VALUE);
        int limit = (int) parseLong("limit", Optional.ofNullable(ctx.queryParam("limit")).orElse("100"), 1, 1000);
        List<RecordedEvent> page = store.readStreamForward(orders.streamId(orderId), from, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (RecordedEvent event : page) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("version", event.streamVersion());
            item.put("type", event.type());
            item.put("globalPosition", event.globalPosition());
            item.put("recordedAt", event.recordedAt().toString());
            item.put("data", Orders.EVENT_TYPES.fromRecorded(event));
            item.put("correlationId", event.metadata().correlationId());
            items.add(item);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("orderId", orderId);
        response.put("events", items);
        response.put("nextFromVersion", page.size() == limit ? page.get(page.size() - 1).streamVersion() + 1 : null);
        json(ctx, response);
    }

    void command(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        String action = ctx.pathParam("action");
        Instant now = clock.instant();
        OrderCommand command = switch (action) {
            case "confirm" -> new OrderCommand.ConfirmOrder(orderId, now);
            case "pay" -> {
                PayBody body = Json.body(ctx, PayBody.class);
                if (body.amount() == null) {
                    throw ApiException.invalid("amount", "is required");
                }
                Order current = existing(orderId).state();
                Currency currency = body.currency() == null ? current.currency() : Money.currency(body.currency());
                yield new OrderCommand.PayOrder(orderId, new Money(body.amount(), currency), body.paymentReference(),
                        now);
            }
            case "ship" -> {
                adminOnly(caller, "shipping");
                ShipBody body = Json.body(ctx, ShipBody.class);
                yield new OrderCommand.ShipOrder(orderId, body.carrier(), body.trackingNumber(), now);
            }
            case "deliver" -> {
                adminOnly(caller, "delivering");
                yield new OrderCommand.DeliverOrder(orderId, now);
            }
            case "cancel" -> {
                String reason = ctx.bodyAsBytes().length == 0 ? null : Json.body(ctx, CancelBody.class).reason();
                yield new OrderCommand.CancelOrder(orderId, reason, now);
            }
            default -> throw ApiException.notFound("no action '" + action + "'; actions are confirm, pay, ship, "
                    + "deliver, cancel");
        };
        handle(ctx, caller, orderId, command);
    }

    void addItem(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        ItemBody body = Json.body(ctx, ItemBody.class);
        Order current = existing(orderId).state();
        handle(ctx, caller, orderId, new OrderCommand.AddItem(orderId, line("item", body, current.currency()),
                clock.instant()));
    }

    void changeItem(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        QuantityBody body = Json.body(ctx, QuantityBody.class);
        if (body.quantity() == null) {
            throw ApiException.invalid("quantity", "is required");
        }
        handle(ctx, caller, orderId, new OrderCommand.ChangeQuantity(orderId, ctx.pathParam("productId"),
                body.quantity(), clock.instant()));
    }

    void removeItem(Context ctx) {
        Caller caller = Server.caller(ctx);
        String orderId = orderId(ctx);
        handle(ctx, caller, orderId, new OrderCommand.RemoveItem(orderId, ctx.pathParam("productId"),
                clock.instant()));
    }

    void list(Context ctx) {
        Caller caller = Server.caller(ctx);
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
        Caller caller = Server.caller(ctx);
        String customerId = ctx.pathParam("customerId");
        if (!caller.isAdmin() && !customerId.equals(caller.subject())) {
            throw ApiException.forbidden("a customer can only see their own orders");
        }
        listFor(ctx, customerId);
    }

    void customerHistory(Context ctx) {
        Caller caller = Server.caller(ctx);
        String customerId = ctx.pathParam("customerId");
        if (!caller.isAdmin() && !customerId.equals(caller.subject())) {
            throw ApiException.forbidden("a customer can only see their own history");
        }
        int limit = (int) parseLong("limit", Optional.ofNullable(ctx.queryParam("limit")).orElse("50"), 1, 500);
        String sql = "SELECT order_id, version, event, status, total, currency, at FROM "
                + OrderSummariesProjection.table(schema, "customer_order_history", 1)
                + " WHERE customer_id = ? ORDER BY at DESC, order_id DESC, version DESC LIMIT ?";
        List<Map<String, Object>> rows = query(sql, List.of(customerId, limit), rs -> {
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
        json(ctx, Map.of("customerId", customerId, "history", rows));
    }

    void salesDaily(Context ctx) {
        Caller caller = Server.caller(ctx);
        adminOnly(caller, "reading sales reports of");
        java.time.LocalDate from = day("from", ctx.queryParam("from"), java.time.LocalDate.now(clock).minusDays(30));
        java.time.LocalDate to = day("to", ctx.queryParam("to"), java.time.LocalDate.now(clock));
        if (to.isBefore(from) || java.time.temporal.ChronoUnit.DAYS.between(from, to) > 366) {
            throw ApiException.invalid("to", "must be on or after 'from' and at most 366 days later");
        }
        String sql = "SELECT day, currency, orders, gross, refunds FROM "
                + OrderSummariesProjection.table(schema, "sales_daily", 1)
                + " WHERE day BETWEEN ? AND ? ORDER BY day, currency";
        List<Map<String, Object>> rows = query(sql, List.of(from, to), rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", rs.getObject(1, java.time.LocalDate.class).toString());
            row.put("currency", rs.getString(2));
            row.put("orders", rs.getLong(3));
            row.put("gross", rs.getBigDecimal(4).toPlainString());
            row.put("refunds", rs.getBigDecimal(5).toPlainString());
            row.put("net", rs.getBigDecimal(4).subtract(rs.getBigDecimal(5)).toPlainString());
            return row;
        });
        json(ctx, Map.of("from", from.toString(), "to", to.toString(), "timeZone", "UTC", "days", rows));
    }

    private static java.time.LocalDate day(String name, String value, java.time.LocalDate fallback) {
        if (value == null) {
            return fallback;
        }
        java.time.LocalDate parsed;
        try {
            parsed = java.time.LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be a date such as 2026-11-24");
        }
        if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
            throw ApiException.invalid(name, "must be between 0001-01-01 and 9999-12-31");
        }
        return parsed;
    }

    private interface RowMapper {
        Map<String, Object> map(ResultSet rs) throws SQLException;
    }

    private List<Map<String, Object>> query(String sql, List<Object> args, RowMapper mapper) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                statement.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
        } catch (SQLException e) {
            throw ApiException.of(503, "Service Unavailable", "the read model cannot be read right now");
        }
        return rows;
    }

    private void listFor(Context ctx, String customerId) {
        String status = ctx.queryParam("status");
        if (status != null) {
            try {
                OrderStatus.valueOf(status.toUpperCase());
                status = status.toUpperCase();
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("status", "must be one of PENDING, CONFIRMED, PAID, SHIPPED, DELIVERED, "
                        + "CANCELLED");
            }
        }
        int limit = (int) parseLong("limit", Optional.ofNullable(ctx.queryParam("limit")).orElse("20"), 1, MAX_PAGE);
        Instant createdAfter = instant("createdAfter", ctx.queryParam("createdAfter"));
        Instant createdBefore = instant("createdBefore", ctx.queryParam("createdBefore"));
        Cursor cursor = Cursor.parse(ctx.queryParam("cursor"));
        StringBuilder sql = new StringBuilder("SELECT order_id, customer_id, status, currency, total, line_count, "
                + "created_at, updated_at, version FROM " + OrderSummariesProjection.table(schema, 1) + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (customerId != null) {
            sql.append(" AND customer_id = ?");
            args.add(customerId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (createdAfter != null) {
            sql.append(" AND created_at >= ?");
            args.add(Timestamp.from(createdAfter));
        }
        if (createdBefore != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(createdBefore));
        }
        if (cursor != null) {
            sql.append(" AND (created_at, order_id) < (?, ?)");
            args.add(Timestamp.from(cursor.createdAt()));
            args.add(cursor.orderId());
        }
        sql.append(" ORDER BY created_at DESC, order_id DESC LIMIT ?");
        args.add(limit + 1);
        List<Map<String, Object>> rows = query(sql.toString(), args, rs -> {
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
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Map<String, Object> last = rows.get(limit - 1);
            next = new Cursor(Instant.parse((String) last.get("createdAt")), (String) last.get("id")).encode();
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("orders", rows);
        response.put("nextCursor", next);
        json(ctx, response);
    }

    // ---- helpers ----

    private void handle(Context ctx, Caller caller, String orderId, OrderCommand command) {
        AggregateState<Order> current = existing(orderId);
        owned(caller, current.state());
        ExpectedVersion expected = ifMatch(ctx);
        CommandResult<Order, OrderEvent> result = orders.handle(orderId, command, expected, metadata(ctx, caller));
        readYourWrites(ctx, result);
        respond(ctx, result.state(), result.version());
    }

    private static ExpectedVersion ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return ExpectedVersion.any();
        }
        var m = ETAG.matcher(header.strip());
        if (!m.matches()) {
            throw ApiException.of(400, "Bad Request", "If-Match must be an ETag of this API, like \"3\" (a version "
                    + "from 0 to 18 digits, or \"-1\" for an order that must not exist yet)");
        }
        long version = Long.parseLong(m.group(2));
        return version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
    }

    private AggregateState<Order> existing(String orderId) {
        AggregateState<Order> state = orders.load(orderId);
        if (!state.exists()) {
            throw ApiException.notFound("order " + orderId + " does not exist");
        }
        return state;
    }

    private static void owned(Caller caller, Order order) {
        if (!caller.isAdmin() && !caller.subject().equals(order.customerId())) {
            // 404, not 403: a customer does not learn which order ids exist
            throw ApiException.notFound("order " + order.orderId() + " does not exist");
        }
    }

    private static void adminOnly(Caller caller, String what) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden(what + " an order needs the admin role");
        }
    }

    private static String orderId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ORDER_ID.matcher(id).matches()) {
            throw ApiException.notFound("order " + id.replaceAll("[^A-Za-z0-9_-]", "?") + " does not exist");
        }
        return id;
    }

    private static Metadata metadata(Context ctx, Caller caller) {
        return Metadata.empty().withCorrelationId(Server.correlationId(ctx)).withUserId(caller.subject());
    }

    private static OrderLine line(String field, ItemBody item, Currency currency) {
        if (item == null) {
            throw ApiException.invalid(field, "must be an object");
        }
        if (item.quantity() == null) {
            throw ApiException.invalid(field + ".quantity", "is required");
        }
        if (item.price() == null) {
            throw ApiException.invalid(field + ".price", "is required");
        }
        try {
            return new OrderLine(item.productId(), item.productName(), item.quantity(), new Money(item.price(),
                    currency));
        } catch (InvalidOrderData e) {
            throw ApiException.invalid(field + "." + e.field(), e.getMessage().substring(e.field().length() + 1));
        }
    }

    private static PersonalData personal(CustomerBody customer) {
        if (customer == null) {
            return null;
        }
        AddressBody a = customer.shippingAddress();
        return new PersonalData(customer.name(), customer.email(), a == null ? null
                : new PersonalData.Address(a.line1(), a.line2(), a.city(), a.postalCode(), a.country()));
    }

    private static long parseLong(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.invalid(name, "must be a whole number from " + min + " to " + max);
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be an ISO-8601 instant such as 2026-11-24T10:15:30Z");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw ApiException.invalid(name, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return parsed;
    }

    private static void respond(Context ctx, Order order, long version) {
        ctx.header("ETag", "\"" + version + "\"");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", order.orderId());
        body.put("version", version);
        body.put("status", order.status());
        body.put("customerId", order.customerId());
        body.put("currency", order.currency().getCurrencyCode());
        List<Map<String, Object>> items = new ArrayList<>();
        for (OrderLine line : order.lines()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("productId", line.productId());
            item.put("productName", line.productName());
            item.put("quantity", line.quantity());
            item.put("price", line.unitPrice().amount().toPlainString());
            item.put("lineTotal", line.total().amount().toPlainString());
            items.add(item);
        }
        body.put("items", items);
        body.put("total", order.total().amount().toPlainString());
        body.put("customer", order.customer());
        body.put("createdAt", order.placedAt());
        body.put("updatedAt", order.updatedAt());
        if (order.paid() != null) {
            body.put("payment", Map.of("amount", order.paid().amount().toPlainString(), "reference",
                    order.paymentReference(), "paidAt", order.paidAt().toString()));
        }
        if (order.carrier() != null) {
            body.put("shipping", Map.of("carrier", order.carrier(), "trackingNumber", order.trackingNumber()));
        }
        if (order.status() == OrderStatus.CANCELLED) {
            Map<String, Object> cancellation = new LinkedHashMap<>();
            cancellation.put("reason", order.cancelReason());
            cancellation.put("refund", order.refund().amount().toPlainString());
            cancellation.put("cancelledAt", order.cancelledAt().toString());
            body.put("cancellation", cancellation);
        }
        json(ctx, body);
    }

    static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(Json.RESPONSES.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An opaque position in the order list: (created at, order id) of the last row of a page. */
    record Cursor(Instant createdAt, String orderId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "|" + orderId)
                    .getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String value) {
            if (value == null) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                Instant at = Instant.parse(parts[0]);
                if (at.isBefore(EARLIEST) || at.isAfter(LATEST) || !ORDER_ID.matcher(parts[1]).matches()) {
                    throw new IllegalArgumentException("out of range");
                }
                return new Cursor(at, parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.invalid("cursor", "is not a cursor this API gave out");
            }
        }
    }
}
