package dev.eventfold.orders;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * What happened to an order. Each event carries what read models need that they cannot work out from the event
 * itself (e.g. the order's new total after an item change), and nothing they can (no line totals, no sums of the
 * lines of the same event). Stored type names are the record names; see {@link Orders#EVENT_TYPES}. Immutable.
 */
public sealed interface OrderEvent {

    /** @return when it happened */
    Instant at();

    /**
     * @param orderId the order's id
     * @param customerId the customer
     * @param currency the order's currency
     * @param lines the lines
     * @param customer personal data (the GDPR target), or {@code null}
     * @param at when
     */
    record OrderPlaced(String orderId, String customerId, Currency currency, List<OrderLine> lines,
            PersonalData customer, Instant at) implements OrderEvent {
        /** Copies the lines. */
        public OrderPlaced {
            lines = List.copyOf(lines);
        }
    }

    /**
     * @param line the new line
     * @param orderTotal the order's total after it
     * @param at when
     */
    record ItemAdded(OrderLine line, Money orderTotal, Instant at) implements OrderEvent {
    }

    /**
     * @param productId the product whose line went
     * @param orderTotal the order's total after it
     * @param at when
     */
    record ItemRemoved(String productId, Money orderTotal, Instant at) implements OrderEvent {
    }

    /**
     * @param productId the product
     * @param quantity the new quantity
     * @param orderTotal the order's total after it
     * @param at when
     */
    record ItemQuantityChanged(String productId, int quantity, Money orderTotal, Instant at) implements OrderEvent {
    }

    /** @param at when */
    record OrderConfirmed(Instant at) implements OrderEvent {
    }

    /**
     * @param amount the amount paid (the total)
     * @param paymentReference the payment's reference
     * @param at when
     */
    record OrderPaid(Money amount, String paymentReference, Instant at) implements OrderEvent {
    }

    /**
     * Schema version 2. Version 1 had one field {@code tracking} of the form {@code carrier:number}; an upcaster in
     * {@link Orders#EVENT_TYPES} splits it.
     *
     * @param carrier the carrier
     * @param trackingNumber the tracking number
     * @param at when
     */
    record OrderShipped(String carrier, String trackingNumber, Instant at) implements OrderEvent {
    }

    /** @param at when */
    record OrderDelivered(Instant at) implements OrderEvent {
    }

    /**
     * @param reason why, or {@code null}
     * @param refund what is paid back: the amount paid if the order was paid, otherwise zero
     * @param at when
     */
    record OrderCancelled(String reason, Money refund, Instant at) implements OrderEvent {
    }
}
