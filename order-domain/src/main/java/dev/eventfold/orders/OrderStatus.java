package dev.eventfold.orders;

/**
 * Where an order is in its life.
 *
 * <pre>
 *   PENDING ──confirm──► CONFIRMED ──pay──► PAID ──ship──► SHIPPED ──deliver──► DELIVERED
 *      │                     │                │
 *      └───────cancel────────┴─────cancel─────┴──► CANCELLED (a paid order is refunded)
 * </pre>
 */
public enum OrderStatus {
    /** No order yet: the stream is empty. */
    NONE,
    /** Placed; items can still change. */
    PENDING,
    /** Confirmed; waiting for payment. */
    CONFIRMED,
    /** Paid in full. */
    PAID,
    /** Handed to a carrier. */
    SHIPPED,
    /** Delivered. Terminal. */
    DELIVERED,
    /** Cancelled. Terminal. */
    CANCELLED;

    /** @return whether nothing can happen to the order any more */
    public boolean isTerminal() {
        return this == DELIVERED || this == CANCELLED;
    }
}
