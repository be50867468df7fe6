package dev.eventfold.orders.views;

/**
 * An order event arrived for an order the read model has no row of: its history does not start with the
 * {@code OrderPlaced} (the read model missed it, or the order's first events were removed). The projection cannot
 * build the row from this event alone; the runner retries it and then dead-letters it, naming the order.
 */
public final class IncompleteOrderHistory extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String orderId;
    private final long version;

    /**
     * @param orderId the order
     * @param version the event's version in the order's stream
     * @param eventType the event's type
     */
    public IncompleteOrderHistory(String orderId, long version, String eventType) {
        super("order " + orderId + " has no summary row before its event " + version + " (" + eventType
                + "): its history does not start with OrderPlaced");
        this.orderId = orderId;
        this.version = version;
    }

    /** @return the order */
    public String orderId() {
        return orderId;
    }

    /** @return the version of the event that found no row */
    public long version() {
        return version;
    }
}
