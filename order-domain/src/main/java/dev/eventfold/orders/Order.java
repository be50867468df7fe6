package dev.eventfold.orders;

import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * The state of an order: the fold of its events. Immutable. Fields that do not apply yet are {@code null}.
 *
 * @param orderId the id, {@code null} before it is placed
 * @param status the status
 * @param customerId the customer
 * @param currency the currency
 * @param lines the lines, in the order they were added
 * @param customer the customer's personal data, or {@code null}
 * @param placedAt when it was placed
 * @param updatedAt when it last changed
 * @param paid the amount paid
 * @param paymentReference the payment's reference
 * @param paidAt when it was paid
 * @param carrier the carrier
 * @param trackingNumber the tracking number
 * @param cancelReason why it was cancelled
 * @param refund the refund of a cancelled paid order (zero for an unpaid one)
 * @param cancelledAt when it was cancelled
 */
public record Order(String orderId, OrderStatus status, String customerId, Currency currency, List<OrderLine> lines,
        PersonalData customer, Instant placedAt, Instant updatedAt, Money paid, String paymentReference,
        Instant paidAt, String carrier, String trackingNumber, String cancelReason, Money refund,
        Instant cancelledAt) {

    /** Copies the lines. */
    public Order {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /** @return the state before any event */
    public static Order none() {
        return new Order(null, OrderStatus.NONE, null, null, List.of(), null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /** @return the sum of the lines (zero in the order's currency; {@code null} before the order is placed) */
    public Money total() {
        if (currency == null) {
            return null;
        }
        Money total = Money.zero(currency);
        for (OrderLine line : lines) {
            total = total.plus(line.total());
        }
        return total;
    }

    /**
     * @param productId a product
     * @return its line
     */
    public Optional<OrderLine> line(String productId) {
        return lines.stream().filter(l -> l.productId().equals(productId)).findFirst();
    }
}
