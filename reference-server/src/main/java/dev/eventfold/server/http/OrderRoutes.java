package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.AggregateState;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import dev.eventfold.orders.OrderRuleViolation;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.Orders;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.http.OrderJson.CancelBody;
import dev.eventfold.server.http.OrderJson.CreateBody;
import dev.eventfold.server.http.OrderJson.ItemBody;
import dev.eventfold.server.http.OrderJson.PayBody;
import dev.eventfold.server.http.OrderJson.QuantityBody;
import dev.eventfold.server.http.OrderJson.ShipBody;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.regex.Pattern;

/**
 * {@code /api/orders}: create, read (now, at a version, at a time), the event history, commands and item changes.
 * A command loads the order once: the ownership check and the command itself are made from the state it is decided
 * on ({@link AggregateRepository#handleOn}), before the caller's {@code If-Match} is checked, so a caller who may not
 * see an order learns nothing about it.
 */
public final class OrderRoutes {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final EventStore store;
    private final Currency defaultCurrency;
    private final Clock clock;
    private final ProjectionRunner<?> readModels;
    private final PersonalDataLog personalData;
    private final ObjLongConsumer<String> seenVersion;

    /**
     * @param orders the order repository
     * @param store the event store (event history, idempotent replays)
     * @param defaultCurrency the currency of orders that name none
     * @param clock the clock of command times
     * @param readModels the read-model runner ({@code Prefer: read-your-writes} waits for it)
     * @param personalData the access log of customers' personal data
     * @param seenVersion told of a version a client saw ({@code If-None-Match}): a read replica answers that fresh
     */
    public OrderRoutes(AggregateRepository<OrderCommand, Order, OrderEvent> orders, EventStore store,
            Currency defaultCurrency, Clock clock, ProjectionRunner<?> readModels, PersonalDataLog personalData,
            ObjLongConsumer<String> seenVersion) {
        this.orders = orders;
        this.seenVersion = seenVersion;
        this.personalData = personalData;
        this.store = store;
        this.defaultCurrency = defaultCurrency;
        this.clock = clock;
        this.readModels = readModels;
    }

    private void respond(Context ctx, Order order, long version) {
        if (order.customer() != null) {
            personalData.served(ctx, order.customerId(), orders.streamId(order.orderId()), version);
        }
        OrderJson.respond(ctx, order, version);
    }

    void create(Context ctx) {
        Caller caller = Requests.caller(ctx);
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
            lines.add(OrderJson.line("items[" + i + "]", body.items().get(i), currency));
        }
        String key = ctx.header("Idempotency-Key");
        Metadata metadata = metadata(ctx, caller);
        String orderId;
        String requestHash = null;
        if (key == null) {
            orderId = RandomIds.next().toString();
        } else {
            if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
                throw ApiException.of(400, "Bad Request", "Idempotency-Key must be 1 to 200 characters of "
                        + "A-Z a-z 0-9 . _ : -");
            }
            // The order id follows from caller and key, so a retry lands on the same stream whatever happened.
            orderId = UUID.nameUUIDFromBytes(("order:" + caller.subject() + ":" + key)
                    .getBytes(StandardCharsets.UTF_8)).toString();
            requestHash = Requests.sha256(ctx.bodyAsBytes());
            metadata = metadata.withHeader("idempotencyKey", key).withHeader("requestHash", requestHash);
        }
        CommandResult<Order, OrderEvent> result;
        try {
            result = orders.handle(orderId, new OrderCommand.PlaceOrder(orderId, customerId, currency, lines,
                    OrderJson.personal(body.customer()), clock.instant()), ExpectedVersion.any(), metadata);
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
            boolean reached = readModels.awaitPosition(result.position(), Duration.ofSeconds(5));
            ctx.header("Preference-Applied", reached ? "read-your-writes" : "none");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.header("Preference-Applied", "none");
        }
    }

    void get(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        String atVersion = ctx.queryParam("atVersion");
        String at = ctx.queryParam("at");
        AggregateState<Order> state;
        if (atVersion != null) {
            long version = Params.parseLong("atVersion", atVersion, 0, Long.MAX_VALUE);
            state = orders.loadAtVersion(orderId, version).orElseThrow(() -> ApiException.notFound("order " + orderId
                    + " has no version " + version));
        } else if (at != null) {
            Instant instant = Params.instant("at", at);
            state = orders.loadAsOf(orderId, instant).orElseThrow(() -> ApiException.notFound("order " + orderId
                    + " did not exist at " + at));
        } else {
            Params.versionSeen(ctx).ifPresent(version -> seenVersion.accept(orders.streamId(orderId), version));
            state = orders.load(orderId);
        }
        visible(caller, orderId, state.state());
        respond(ctx, state.state(), state.version());
    }

    void events(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        Order order = orders.load(orderId).state();
        visible(caller, orderId, order);
        long from = Params.number(ctx, "fromVersion", 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.number(ctx, "limit", 100, 1, 1000);
        List<RecordedEvent> page = store.readStreamForward(orders.streamId(orderId), from, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (RecordedEvent event : page) {
            items.add(eventJson(event));
            if (event.streamVersion() == 0 && order.customer() != null) {
                personalData.served(ctx, order.customerId(), event.streamId(), 0);
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("orderId", orderId);
        response.put("events", items);
        response.put("nextFromVersion", page.size() == limit ? page.get(page.size() - 1).streamVersion() + 1 : null);
        OrderJson.json(ctx, response);
    }

    void command(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        String action = ctx.pathParam("action");
        Instant now = clock.instant();
        Function<Order, OrderCommand> command = switch (action) {
            case "confirm" -> order -> new OrderCommand.ConfirmOrder(orderId, now);
            case "pay" -> {
                PayBody body = Json.body(ctx, PayBody.class);
                if (body.amount() == null) {
                    throw ApiException.invalid("amount", "is required");
                }
                yield order -> new OrderCommand.PayOrder(orderId, new Money(body.amount(), body.currency() == null
                        ? order.currency() : Money.currency(body.currency())), body.paymentReference(), now);
            }
            case "ship" -> {
                adminOnly(caller, "shipping");
                ShipBody body = Json.body(ctx, ShipBody.class);
                yield order -> new OrderCommand.ShipOrder(orderId, body.carrier(), body.trackingNumber(), now);
            }
            case "deliver" -> {
                adminOnly(caller, "delivering");
                yield order -> new OrderCommand.DeliverOrder(orderId, now);
            }
            case "cancel" -> {
                String reason = ctx.bodyAsBytes().length == 0 ? null : Json.body(ctx, CancelBody.class).reason();
                yield order -> new OrderCommand.CancelOrder(orderId, reason, now);
            }
            default -> throw ApiException.notFound("no action '" + action + "'; actions are confirm, pay, ship, "
                    + "deliver, cancel");
        };
        handle(ctx, caller, orderId, command);
    }

    void addItem(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        ItemBody body = Json.body(ctx, ItemBody.class);
        handle(ctx, caller, orderId, order -> new OrderCommand.AddItem(orderId, OrderJson.line("item", body,
                order.currency()), clock.instant()));
    }

    void changeItem(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        QuantityBody body = Json.body(ctx, QuantityBody.class);
        if (body.quantity() == null) {
            throw ApiException.invalid("quantity", "is required");
        }
        handle(ctx, caller, orderId, order -> new OrderCommand.ChangeQuantity(orderId, ctx.pathParam("productId"),
                body.quantity(), clock.instant()));
    }

    void removeItem(Context ctx) {
        Caller caller = Requests.caller(ctx);
        String orderId = Params.orderId(ctx);
        handle(ctx, caller, orderId, order -> new OrderCommand.RemoveItem(orderId, ctx.pathParam("productId"),
                clock.instant()));
    }

    /** Loads the order once: ownership, the command and the decision all see that state. */
    private void handle(Context ctx, Caller caller, String orderId, Function<Order, OrderCommand> command) {
        ExpectedVersion expected = Params.ifMatch(ctx);
        CommandResult<Order, OrderEvent> result = orders.handleOn(orderId, order -> {
            visible(caller, orderId, order);
            return command.apply(order);
        }, expected, metadata(ctx, caller));
        readYourWrites(ctx, result);
        respond(ctx, result.state(), result.version());
    }

    /**
     * The one ownership check: an order exists and is the caller's (admins see all). 404 otherwise, never 403, so a
     * customer does not learn which order ids exist.
     */
    static void visible(Caller caller, String orderId, Order order) {
        if (order.status() == OrderStatus.NONE || !caller.isAdmin() && !caller.subject().equals(order.customerId())) {
            throw ApiException.notFound("order " + orderId + " does not exist");
        }
    }

    /** One event as the API shows it: place, type, data and who did it under which correlation. */
    static Map<String, Object> eventJson(RecordedEvent event) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("version", event.streamVersion());
        item.put("type", event.type());
        item.put("eventId", event.eventId().toString());
        item.put("globalPosition", event.globalPosition());
        item.put("position", event.logPosition().toString());
        item.put("recordedAt", event.recordedAt().toString());
        item.put("data", Orders.EVENT_TYPES.fromRecorded(event));
        item.put("correlationId", event.metadata().correlationId());
        item.put("causationId", event.metadata().causationId());
        item.put("userId", event.metadata().userId());
        return item;
    }

    static void adminOnly(Caller caller, String what) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden(what + " an order needs the admin role");
        }
    }

    private static Metadata metadata(Context ctx, Caller caller) {
        return Metadata.empty().withCorrelationId(Requests.correlationId(ctx)).withUserId(caller.subject());
    }
}
