package dev.eventfold.orders.views;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import java.time.Instant;
import java.util.Currency;

/**
 * One row of the order list (filtered by status, customer and creation time, paged by a cursor). Immutable.
 *
 * @param orderId the order
 * @param customerId the customer
 * @param status the status
 * @param currency the currency
 * @param total the total
 * @param lineCount how many lines
 * @param createdAt when it was placed
 * @param updatedAt when it last changed
 * @param version the stream version the row reflects
 */
public record OrderSummary(String orderId, String customerId, OrderStatus status, Currency currency, Money total,
        int lineCount, Instant createdAt, Instant updatedAt, long version) {

    /**
     * The row after an event: the pure half of the order-summary projection.
     *
     * @param current the row before, {@code null} for the order's first event
     * @param orderId the order
     * @param version the event's stream version
     * @param event the event
     * @return the row after it
     * @throws IncompleteOrderHistory if there is no row and the event is not the {@code OrderPlaced}
     */
    public static OrderSummary apply(OrderSummary current, String orderId, long version, OrderEvent event) {
        Instant at = event.at();
        if (event instanceof OrderEvent.OrderPlaced placed) {
            Money total = Money.zero(placed.currency());
            for (var line : placed.lines()) {
                total = total.plus(line.total());
            }
            return new OrderSummary(orderId, placed.customerId(), OrderStatus.PENDING, placed.currency(), total,
                    placed.lines().size(), at, at, version);
        }
        if (current == null) {
            throw new IncompleteOrderHistory(orderId, version, event.getClass().getSimpleName());
        }
        if (event instanceof OrderEvent.ItemAdded added) {
            return current.with(current.status, added.orderTotal(), current.lineCount + 1, at, version);
        } else if (event instanceof OrderEvent.ItemRemoved removed) {
            return current.with(current.status, removed.orderTotal(), current.lineCount - 1, at, version);
        } else if (event instanceof OrderEvent.ItemQuantityChanged changed) {
            return current.with(current.status, changed.orderTotal(), current.lineCount, at, version);
        } else if (event instanceof OrderEvent.OrderConfirmed) {
            return current.with(OrderStatus.CONFIRMED, current.total, current.lineCount, at, version);
        } else if (event instanceof OrderEvent.OrderPaid) {
            return current.with(OrderStatus.PAID, current.total, current.lineCount, at, version);
        } else if (event instanceof OrderEvent.OrderShipped) {
            return current.with(OrderStatus.SHIPPED, current.total, current.lineCount, at, version);
        } else if (event instanceof OrderEvent.OrderDelivered) {
            return current.with(OrderStatus.DELIVERED, current.total, current.lineCount, at, version);
        } else {
            return current.with(OrderStatus.CANCELLED, current.total, current.lineCount, at, version);
        }
    }

    /**
     * The row straight from an order's state (to check the event-by-event path, and to backfill).
     *
     * @param order a placed order
     * @param version its stream version
     * @return its row
     */
    public static OrderSummary of(Order order, long version) {
        return new OrderSummary(order.orderId(), order.customerId(), order.status(), order.currency(), order.total(),
                order.lines().size(), order.placedAt(), order.updatedAt(), version);
    }

    private OrderSummary with(OrderStatus newStatus, Money newTotal, int lines, Instant at, long newVersion) {
        return new OrderSummary(orderId, customerId, newStatus, currency, newTotal, lines, createdAt, at, newVersion);
    }
}
