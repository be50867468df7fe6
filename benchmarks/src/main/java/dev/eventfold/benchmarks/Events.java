package dev.eventfold.benchmarks;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * The benchmark's events: an order placed with three lines, then quantity changes. About 250 bytes of JSON each;
 * every store serializes the same objects.
 */
final class Events {

    static final Currency EUR = Currency.getInstance("EUR");
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final List<OrderLine> LINES = List.of(
            new OrderLine("p-1", "Widget, blue, large", 2, Money.of("19.90", "EUR")),
            new OrderLine("p-2", "Gadget with a longer product name", 1, Money.of("5.50", "EUR")),
            new OrderLine("p-3", "Bolt M8", 40, Money.of("0.12", "EUR")));

    private Events() {
    }

    /** @return event number {@code version} of an order's stream */
    static OrderEvent event(String orderId, long version) {
        Instant at = T0.plusMillis(version);
        if (version == 0) {
            return new OrderEvent.OrderPlaced(orderId, "customer-1", EUR, LINES, null, at);
        }
        int quantity = 1 + (int) (version % 50);
        Money total = Money.of("19.90", "EUR").times(quantity).plus(Money.of("5.50", "EUR"))
                .plus(Money.of("4.80", "EUR"));
        return new OrderEvent.ItemQuantityChanged("p-1", quantity, total, at);
    }

    static List<OrderEvent> range(String orderId, long fromVersion, int count) {
        List<OrderEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(orderId, fromVersion + i));
        }
        return events;
    }
}
