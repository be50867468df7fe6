package dev.eventfold.examples.orders;

import java.math.BigDecimal;

/** What happened to an order. Each event carries what the read models need, so they never look anything up. */
public sealed interface OrderEvent {

    /** @return the customer who placed the order */
    String customerId();

    /** @return the order's total */
    BigDecimal total();

    /**
     * @param customerId the customer
     * @param total the order's total
     */
    record OrderPlaced(String customerId, BigDecimal total) implements OrderEvent {
    }

    /**
     * @param customerId the customer
     * @param total the total of the order being cancelled
     */
    record OrderCancelled(String customerId, BigDecimal total) implements OrderEvent {
    }
}
