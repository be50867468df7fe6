package dev.eventfold.orders;

import dev.eventfold.orders.OrderEvent.OrderConfirmed;
import dev.eventfold.orders.OrderEvent.OrderPaid;
import dev.eventfold.orders.OrderEvent.OrderPlaced;
import dev.eventfold.orders.OrderEvent.OrderShipped;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/** Shared test data: one order with two lines, 2 × 10.00 + 1 × 5.50 = 25.50 EUR, and its events at fixed times. */
final class Fixtures {

    static final String ID = "6f1c2b9e-0000-4000-8000-000000000001";
    static final Currency EUR = Currency.getInstance("EUR");
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final OrderLine WIDGET = new OrderLine("p-1", "Widget", 2, Money.of("10.00", "EUR"));
    static final OrderLine GADGET = new OrderLine("p-2", "Gadget", 1, Money.of("5.50", "EUR"));
    static final PersonalData ADA = new PersonalData("Ada Lovelace", "ada@example.org",
            new PersonalData.Address("12 Analytical St", null, "London", "N1 7AA", "GB"));

    static final OrderPlaced PLACED = new OrderPlaced(ID, "c-7", EUR, List.of(WIDGET, GADGET), ADA, T0);
    static final OrderConfirmed CONFIRMED = new OrderConfirmed(at(1));
    static final OrderPaid PAID = new OrderPaid(Money.of("25.50", "EUR"), "pay-1", at(2));
    static final OrderShipped SHIPPED = new OrderShipped("DHL", "123", at(3));

    private Fixtures() {
    }

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    static Order given(OrderEvent... events) {
        return Orders.DECIDER.fold(Orders.DECIDER.initialState(), List.of(events));
    }
}
