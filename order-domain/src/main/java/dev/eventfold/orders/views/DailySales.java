package dev.eventfold.orders.views;

import dev.eventfold.orders.Money;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.OrderStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Optional;

/**
 * Sales of one day (UTC) in one currency. A sale counts on the day it is paid; a refund on the day the paid order is
 * cancelled. Immutable.
 *
 * @param day the day, in UTC
 * @param currency the currency
 * @param orders orders paid that day
 * @param gross the amount paid that day
 * @param refunds the amount refunded that day
 */
public record DailySales(LocalDate day, Currency currency, long orders, Money gross, Money refunds) {

    /** @return gross minus refunds (negative on a day with more refunds than sales) */
    public java.math.BigDecimal net() {
        return gross.amount().subtract(refunds.amount());
    }

    /**
     * What one event adds to the sales of its day, if anything: the pure half of the sales projection.
     *
     * @param event an order event
     * @return the change, empty for events that are not sales or refunds
     */
    public static Optional<Change> change(OrderEvent event) {
        LocalDate day = event.at().atZone(ZoneOffset.UTC).toLocalDate();
        if (event instanceof OrderEvent.OrderPaid paid) {
            return Optional.of(new Change(day, paid.amount().currency(), 1, paid.amount(),
                    Money.zero(paid.amount().currency())));
        }
        if (event instanceof OrderEvent.OrderCancelled cancelled && !cancelled.refund().isZero()) {
            Currency currency = cancelled.refund().currency();
            return Optional.of(new Change(day, currency, 0, Money.zero(currency), cancelled.refund()));
        }
        return Optional.empty();
    }

    /**
     * @param current the day's row, or {@code null} if it has none yet
     * @param change a change of that day and currency
     * @return the row after it
     */
    public static DailySales apply(DailySales current, Change change) {
        if (current == null) {
            return new DailySales(change.day(), change.currency(), change.orders(), change.gross(), change.refunds());
        }
        return new DailySales(current.day, current.currency, current.orders + change.orders(),
                current.gross.plus(change.gross()), current.refunds.plus(change.refunds()));
    }

    /**
     * The changes an order's final state implies (to check the event-by-event path).
     *
     * @param order an order
     * @return its sale and refund, as changes
     */
    public static java.util.List<Change> changesOf(Order order) {
        java.util.List<Change> changes = new java.util.ArrayList<>();
        if (order.paidAt() != null) {
            changes.add(new Change(order.paidAt().atZone(ZoneOffset.UTC).toLocalDate(), order.currency(), 1,
                    order.paid(), Money.zero(order.currency())));
        }
        if (order.status() == OrderStatus.CANCELLED && order.refund() != null && !order.refund().isZero()) {
            changes.add(new Change(order.cancelledAt().atZone(ZoneOffset.UTC).toLocalDate(), order.currency(), 0,
                    Money.zero(order.currency()), order.refund()));
        }
        return changes;
    }

    /**
     * A change to one day's sales. Immutable.
     *
     * @param day the day
     * @param currency the currency
     * @param orders orders to add
     * @param gross amount to add to gross
     * @param refunds amount to add to refunds
     */
    public record Change(LocalDate day, Currency currency, long orders, Money gross, Money refunds) {
    }
}
