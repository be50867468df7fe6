package dev.eventfold.orders;

import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * What can be asked of an order. Every command names the order and carries the time it happened (the domain reads no
 * clock). Immutable; the compact constructors check the shape of the data, {@link Orders#decide} checks the rules.
 */
public sealed interface OrderCommand {

    /** @return the order's id */
    String orderId();

    /** @return when the command was issued */
    Instant at();

    /**
     * Places an order (the seed's create payload plus a currency and optional personal data).
     *
     * @param orderId the new order's id
     * @param customerId the customer, 1 to 100 characters
     * @param currency the order's currency; every price must be in it
     * @param lines the lines, 1 to {@value Orders#MAX_LINES}, each product once
     * @param customer the customer's personal data, or {@code null}
     * @param at when
     */
    record PlaceOrder(String orderId, String customerId, Currency currency, List<OrderLine> lines,
            PersonalData customer, Instant at) implements OrderCommand {
        /** Checks the shape; copies the lines. */
        public PlaceOrder {
            Orders.checkCommand(orderId, at);
            customerId = OrderLine.text("customerId", customerId, 100);
            if (currency == null) {
                throw new InvalidOrderData("currency", "is required");
            }
            if (lines == null || lines.isEmpty()) {
                throw new InvalidOrderData("items", "must contain at least one item");
            }
            lines = List.copyOf(lines);
        }
    }

    /**
     * @param orderId the order
     * @param line the new line
     * @param at when
     */
    record AddItem(String orderId, OrderLine line, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public AddItem {
            Orders.checkCommand(orderId, at);
            if (line == null) {
                throw new InvalidOrderData("item", "is required");
            }
        }
    }

    /**
     * @param orderId the order
     * @param productId the product whose line goes
     * @param at when
     */
    record RemoveItem(String orderId, String productId, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public RemoveItem {
            Orders.checkCommand(orderId, at);
            productId = OrderLine.text("productId", productId, OrderLine.MAX_ID_LENGTH);
        }
    }

    /**
     * @param orderId the order
     * @param productId the product whose line changes
     * @param quantity the new quantity
     * @param at when
     */
    record ChangeQuantity(String orderId, String productId, int quantity, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public ChangeQuantity {
            Orders.checkCommand(orderId, at);
            productId = OrderLine.text("productId", productId, OrderLine.MAX_ID_LENGTH);
            OrderLine.checkQuantity(quantity);
        }
    }

    /**
     * @param orderId the order
     * @param at when
     */
    record ConfirmOrder(String orderId, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public ConfirmOrder {
            Orders.checkCommand(orderId, at);
        }
    }

    /**
     * @param orderId the order
     * @param amount the amount paid: exactly the order's total
     * @param paymentReference the payment provider's reference, 1 to 100 characters
     * @param at when
     */
    record PayOrder(String orderId, Money amount, String paymentReference, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public PayOrder {
            Orders.checkCommand(orderId, at);
            if (amount == null) {
                throw new InvalidOrderData("amount", "is required");
            }
            paymentReference = OrderLine.text("paymentReference", paymentReference, 100);
        }
    }

    /**
     * @param orderId the order
     * @param carrier the carrier, 1 to 100 characters
     * @param trackingNumber the tracking number, 1 to 100 characters
     * @param at when
     */
    record ShipOrder(String orderId, String carrier, String trackingNumber, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public ShipOrder {
            Orders.checkCommand(orderId, at);
            carrier = OrderLine.text("carrier", carrier, 100);
            trackingNumber = OrderLine.text("trackingNumber", trackingNumber, 100);
        }
    }

    /**
     * @param orderId the order
     * @param at when
     */
    record DeliverOrder(String orderId, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public DeliverOrder {
            Orders.checkCommand(orderId, at);
        }
    }

    /**
     * @param orderId the order
     * @param reason why, up to 500 characters, optional
     * @param at when
     */
    record CancelOrder(String orderId, String reason, Instant at) implements OrderCommand {
        /** Checks the shape. */
        public CancelOrder {
            Orders.checkCommand(orderId, at);
            reason = PersonalData.optional("reason", reason, 500);
        }
    }
}
