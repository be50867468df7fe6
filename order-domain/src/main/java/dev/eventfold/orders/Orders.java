package dev.eventfold.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.privacy.PersonalDataPolicy;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.orders.OrderCommand.AddItem;
import dev.eventfold.orders.OrderCommand.CancelOrder;
import dev.eventfold.orders.OrderCommand.ChangeQuantity;
import dev.eventfold.orders.OrderCommand.ConfirmOrder;
import dev.eventfold.orders.OrderCommand.DeliverOrder;
import dev.eventfold.orders.OrderCommand.PayOrder;
import dev.eventfold.orders.OrderCommand.PlaceOrder;
import dev.eventfold.orders.OrderCommand.RemoveItem;
import dev.eventfold.orders.OrderCommand.ShipOrder;
import dev.eventfold.orders.OrderEvent.ItemAdded;
import dev.eventfold.orders.OrderEvent.ItemQuantityChanged;
import dev.eventfold.orders.OrderEvent.ItemRemoved;
import dev.eventfold.orders.OrderEvent.OrderCancelled;
import dev.eventfold.orders.OrderEvent.OrderConfirmed;
import dev.eventfold.orders.OrderEvent.OrderDelivered;
import dev.eventfold.orders.OrderEvent.OrderPaid;
import dev.eventfold.orders.OrderEvent.OrderPlaced;
import dev.eventfold.orders.OrderEvent.OrderShipped;
import dev.eventfold.orders.OrderRuleViolation.DuplicateItem;
import dev.eventfold.orders.OrderRuleViolation.IllegalTransition;
import dev.eventfold.orders.OrderRuleViolation.ItemsLocked;
import dev.eventfold.orders.OrderRuleViolation.LastItem;
import dev.eventfold.orders.OrderRuleViolation.OrderAlreadyExists;
import dev.eventfold.orders.OrderRuleViolation.OrderNotFound;
import dev.eventfold.orders.OrderRuleViolation.PaymentMismatch;
import dev.eventfold.orders.OrderRuleViolation.TooManyLines;
import dev.eventfold.orders.OrderRuleViolation.UnknownItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order aggregate: {@link #DECIDER} (pure functions, no I/O, no clock), its event registry and its snapshot codec.
 * The rules, each enforced by {@link #decide} and named by the {@link OrderRuleViolation} it throws:
 *
 * <ul>
 *   <li>An order is placed once ({@code order.already-exists}); every other command needs a placed order
 *       ({@code order.not-found}).</li>
 *   <li>Lifecycle: PENDING → CONFIRMED → PAID → SHIPPED → DELIVERED; cancel from PENDING, CONFIRMED or PAID; anything
 *       else is {@code order.illegal-transition}. DELIVERED and CANCELLED are terminal.</li>
 *   <li>Items are added, removed or re-quantified only while PENDING ({@code order.items-locked}); a product appears
 *       on one line only ({@code order.duplicate-item}); the last line cannot be removed ({@code order.last-item});
 *       at most {@value #MAX_LINES} lines ({@code order.too-many-lines}); quantities 1 to
 *       {@value OrderLine#MAX_QUANTITY}; prices in the order's currency ({@code order.invalid-data}).</li>
 *   <li>Payment is exactly the total, in the order's currency ({@code order.payment-mismatch}).</li>
 *   <li>Cancelling a paid order refunds what was paid; an unpaid one refunds zero.</li>
 *   <li>Money: see {@link Money} (scale of the currency, never rounded, 0 to 10^9).</li>
 * </ul>
 */
public final class Orders {

    /** The most lines an order may have. */
    public static final int MAX_LINES = 100;

    /** The category of order streams: {@code order-<id>}. */
    public static final String CATEGORY = "order";

    /** The order as a decider. */
    public static final Decider<OrderCommand, Order, OrderEvent> DECIDER = Decider.of(Order::none, Orders::evolve,
            Orders::decide);

    /** The registry of order events; {@code OrderShipped} is at schema version 2 with an upcaster from 1. */
    public static final EventTypes<OrderEvent> EVENT_TYPES = EventTypes.builder(OrderEvent.class)
            .register("OrderPlaced", OrderPlaced.class)
            .register("ItemAdded", ItemAdded.class)
            .register("ItemRemoved", ItemRemoved.class)
            .register("ItemQuantityChanged", ItemQuantityChanged.class)
            .register("OrderConfirmed", OrderConfirmed.class)
            .register("OrderPaid", OrderPaid.class)
            .register("OrderShipped", OrderShipped.class, 2)
            .upcaster("OrderShipped", 1, Orders::splitTracking)
            .register("OrderDelivered", OrderDelivered.class)
            .register("OrderCancelled", OrderCancelled.class)
            .build();

    /**
     * The customer's name, e-mail and shipping address ({@link PersonalData}) are personal data of the customer: in
     * {@code OrderPlaced} events and in order snapshots, both keyed by {@code customerId}. Wrapped around the store
     * with {@code PersonalDataProtection}, they are encrypted per customer and erased by forgetting the customer.
     */
    public static final PersonalDataPolicy PERSONAL_DATA = PersonalDataPolicy.builder()
            .event("OrderPlaced", "/customerId", "/customer")
            .snapshots(CATEGORY, "/customerId", "/customer")
            .build();

    /** Snapshots of {@link Order}, schema version 1. */
    public static final StateCodec<Order> STATE_CODEC = StateCodec.jackson(Order.class, 1);

    private Orders() {
    }

    static void checkCommand(String orderId, Instant at) {
        OrderLine.text("orderId", orderId, 100);
        if (at == null) {
            throw new InvalidOrderData("at", "is required (the time comes with the command)");
        }
    }

    /** v1 {@code {"tracking": "DHL:123"}} → v2 {@code {"carrier": "DHL", "trackingNumber": "123"}}. */
    static ObjectNode splitTracking(ObjectNode v1) {
        JsonNode tracking = v1.remove("tracking");
        String text = tracking == null ? "" : tracking.asText();
        int colon = text.indexOf(':');
        v1.put("carrier", colon < 0 ? "unknown" : text.substring(0, colon));
        v1.put("trackingNumber", colon < 0 ? text : text.substring(colon + 1));
        return v1;
    }

    /**
     * @param command the command
     * @param order the current state
     * @return the events that record the decision
     * @throws OrderRuleViolation if a rule forbids it
     */
    public static List<OrderEvent> decide(OrderCommand command, Order order) {
        String id = command.orderId();
        if (command instanceof PlaceOrder place) {
            if (order.status() != OrderStatus.NONE) {
                throw new OrderAlreadyExists(id, order.status());
            }
            return List.of(place(place));
        }
        if (order.status() == OrderStatus.NONE) {
            throw new OrderNotFound(id);
        }
        if (command instanceof AddItem add) {
            pending(order, id);
            OrderLine line = add.line();
            if (order.line(line.productId()).isPresent()) {
                throw new DuplicateItem(id, line.productId());
            }
            if (order.lines().size() + 1 > MAX_LINES) {
                throw new TooManyLines(id, order.lines().size() + 1);
            }
            sameCurrency("item.price", line.unitPrice(), order);
            return List.of(new ItemAdded(line, order.total().plus(line.total()), add.at()));
        } else if (command instanceof RemoveItem remove) {
            pending(order, id);
            OrderLine line = order.line(remove.productId()).orElseThrow(() -> new UnknownItem(id, remove.productId()));
            if (order.lines().size() == 1) {
                throw new LastItem(id, remove.productId());
            }
            return List.of(new ItemRemoved(line.productId(), order.total().minus(line.total()), remove.at()));
        } else if (command instanceof ChangeQuantity change) {
            pending(order, id);
            OrderLine line = order.line(change.productId()).orElseThrow(() -> new UnknownItem(id, change.productId()));
            if (line.quantity() == change.quantity()) {
                return List.of();
            }
            Money total = order.total().minus(line.total()).plus(line.withQuantity(change.quantity()).total());
            return List.of(new ItemQuantityChanged(line.productId(), change.quantity(), total, change.at()));
        } else if (command instanceof ConfirmOrder confirm) {
            transition(order, id, "confirmed", OrderStatus.PENDING);
            return List.of(new OrderConfirmed(confirm.at()));
        } else if (command instanceof PayOrder pay) {
            transition(order, id, "paid", OrderStatus.CONFIRMED);
            sameCurrency("amount", pay.amount(), order);
            if (pay.amount().compareTo(order.total()) != 0) {
                throw new PaymentMismatch(id, order.total(), pay.amount());
            }
            return List.of(new OrderPaid(order.total(), pay.paymentReference(), pay.at()));
        } else if (command instanceof ShipOrder ship) {
            transition(order, id, "shipped", OrderStatus.PAID);
            return List.of(new OrderShipped(ship.carrier(), ship.trackingNumber(), ship.at()));
        } else if (command instanceof DeliverOrder deliver) {
            transition(order, id, "delivered", OrderStatus.SHIPPED);
            return List.of(new OrderDelivered(deliver.at()));
        } else {
            CancelOrder cancel = (CancelOrder) command;
            transition(order, id, "cancelled", OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PAID);
            Money refund = order.status() == OrderStatus.PAID ? order.paid() : Money.zero(order.currency());
            return List.of(new OrderCancelled(cancel.reason(), refund, cancel.at()));
        }
    }

    private static OrderPlaced place(PlaceOrder place) {
        if (place.lines().size() > MAX_LINES) {
            throw new TooManyLines(place.orderId(), place.lines().size());
        }
        Set<String> products = new HashSet<>();
        Money total = Money.zero(place.currency());
        for (int i = 0; i < place.lines().size(); i++) {
            OrderLine line = place.lines().get(i);
            if (line == null) {
                throw new InvalidOrderData("items[" + i + "]", "must not be null");
            }
            if (!products.add(line.productId())) {
                throw new InvalidOrderData("items[" + i + "].productId", "'" + line.productId()
                        + "' appears more than once; use one line with the total quantity");
            }
            if (!line.unitPrice().currency().equals(place.currency())) {
                throw new InvalidOrderData("items[" + i + "].price", "is in " + line.unitPrice().currency()
                        + " but the order is in " + place.currency());
            }
            total = total.plus(line.total()); // fails if the total is absurd
        }
        return new OrderPlaced(place.orderId(), place.customerId(), place.currency(), place.lines(),
                place.customer(), place.at());
    }

    private static void pending(Order order, String id) {
        if (order.status() != OrderStatus.PENDING) {
            throw new ItemsLocked(id, order.status());
        }
    }

    private static void transition(Order order, String id, String action, OrderStatus... allowedFrom) {
        for (OrderStatus allowed : allowedFrom) {
            if (order.status() == allowed) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (OrderStatus allowed : allowedFrom) {
            names.add(allowed.name());
        }
        throw new IllegalTransition(id, action, order.status(), String.join(", ", names));
    }

    private static void sameCurrency(String field, Money money, Order order) {
        if (!money.currency().equals(order.currency())) {
            throw new InvalidOrderData(field, "is in " + money.currency() + " but the order is in "
                    + order.currency());
        }
    }

    /**
     * @param order the current state
     * @param event an event of this order
     * @return the state after it
     */
    public static Order evolve(Order order, OrderEvent event) {
        Instant at = event.at();
        if (event instanceof OrderPlaced placed) {
            return new Order(placed.orderId(), OrderStatus.PENDING, placed.customerId(), placed.currency(),
                    placed.lines(), placed.customer(), at, at, null, null, null, null, null, null, null, null);
        } else if (event instanceof ItemAdded added) {
            List<OrderLine> lines = new ArrayList<>(order.lines());
            lines.add(added.line());
            return withLines(order, lines, at);
        } else if (event instanceof ItemRemoved removed) {
            return withLines(order, order.lines().stream().filter(l -> !l.productId().equals(removed.productId()))
                    .toList(), at);
        } else if (event instanceof ItemQuantityChanged changed) {
            return withLines(order, order.lines().stream().map(l -> l.productId().equals(changed.productId())
                    ? l.withQuantity(changed.quantity()) : l).toList(), at);
        } else if (event instanceof OrderConfirmed) {
            return withStatus(order, OrderStatus.CONFIRMED, at);
        } else if (event instanceof OrderPaid paid) {
            return new Order(order.orderId(), OrderStatus.PAID, order.customerId(), order.currency(), order.lines(),
                    order.customer(), order.placedAt(), at, paid.amount(), paid.paymentReference(), at, null, null,
                    null, null, null);
        } else if (event instanceof OrderShipped shipped) {
            return new Order(order.orderId(), OrderStatus.SHIPPED, order.customerId(), order.currency(),
                    order.lines(), order.customer(), order.placedAt(), at, order.paid(), order.paymentReference(),
                    order.paidAt(), shipped.carrier(), shipped.trackingNumber(), null, null, null);
        } else if (event instanceof OrderDelivered) {
            return withStatus(order, OrderStatus.DELIVERED, at);
        } else {
            OrderCancelled cancelled = (OrderCancelled) event;
            return new Order(order.orderId(), OrderStatus.CANCELLED, order.customerId(), order.currency(),
                    order.lines(), order.customer(), order.placedAt(), at, order.paid(), order.paymentReference(),
                    order.paidAt(), order.carrier(), order.trackingNumber(), cancelled.reason(), cancelled.refund(),
                    at);
        }
    }

    private static Order withLines(Order o, List<OrderLine> lines, Instant at) {
        return new Order(o.orderId(), o.status(), o.customerId(), o.currency(), lines, o.customer(), o.placedAt(), at,
                o.paid(), o.paymentReference(), o.paidAt(), o.carrier(), o.trackingNumber(), o.cancelReason(),
                o.refund(), o.cancelledAt());
    }

    private static Order withStatus(Order o, OrderStatus status, Instant at) {
        return new Order(o.orderId(), status, o.customerId(), o.currency(), o.lines(), o.customer(), o.placedAt(), at,
                o.paid(), o.paymentReference(), o.paidAt(), o.carrier(), o.trackingNumber(), o.cancelReason(),
                o.refund(), o.cancelledAt());
    }
}
