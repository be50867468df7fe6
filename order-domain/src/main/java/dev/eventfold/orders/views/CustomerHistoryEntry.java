package dev.eventfold.orders.views;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import java.time.Instant;

/**
 * One line of a customer's order history: what happened to which of their orders, and where it left the order.
 * Immutable.
 *
 * @param customerId the customer
 * @param orderId the order
 * @param version the event's stream version
 * @param event the event's type name, e.g. {@code OrderPaid}
 * @param status the order's status after it
 * @param total the order's total after it
 * @param at when
 */
public record CustomerHistoryEntry(String customerId, String orderId, long version, String event, OrderStatus status,
        Money total, Instant at) {

    /**
     * The history line of an event: the pure half of the customer-history projection.
     *
     * @param after the order's summary row after the event (see {@link OrderSummary#apply})
     * @param event the event
     * @return the line
     */
    public static CustomerHistoryEntry of(OrderSummary after, OrderEvent event) {
        return new CustomerHistoryEntry(after.customerId(), after.orderId(), after.version(),
                event.getClass().getSimpleName(), after.status(), after.total(), event.at());
    }
}
