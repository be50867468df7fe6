package dev.eventfold.orders;

/**
 * A command the order's rules do not allow. One sealed family: every rejection is one of these, names its rule
 * ({@link #rule()}), the order and, where it matters, the order's state. Nothing is appended when a command is
 * rejected. The {@link #kind()} tells a server how to answer: {@code NOT_FOUND} → 404, {@code CONFLICT} (the state
 * does not allow it now) → 409, {@code INVALID} (the input can never be right) → 422.
 */
public abstract sealed class OrderRuleViolation extends RuntimeException
        permits OrderRuleViolation.OrderNotFound, OrderRuleViolation.OrderAlreadyExists,
        OrderRuleViolation.IllegalTransition, OrderRuleViolation.ItemsLocked, OrderRuleViolation.UnknownItem,
        OrderRuleViolation.DuplicateItem, OrderRuleViolation.LastItem, OrderRuleViolation.TooManyLines,
        OrderRuleViolation.PaymentMismatch, InvalidOrderData {

    private static final long serialVersionUID = 1L;

    /** How a server should answer a violation. */
    public enum Kind {
        /** The order does not exist. */
        NOT_FOUND,
        /** The order's current state does not allow the command. */
        CONFLICT,
        /** The command's data breaks a rule whatever the state. */
        INVALID
    }

    private final String rule;
    private final Kind kind;

    OrderRuleViolation(String rule, Kind kind, String message) {
        super(message);
        this.rule = rule;
        this.kind = kind;
    }

    /** @return the rule's stable code, e.g. {@code order.illegal-transition} */
    public String rule() {
        return rule;
    }

    /** @return how to answer it */
    public Kind kind() {
        return kind;
    }

    /** A command for an order that was never placed. */
    public static final class OrderNotFound extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        OrderNotFound(String orderId) {
            super("order.not-found", Kind.NOT_FOUND, "Order " + orderId + " does not exist");
        }
    }

    /** Placing an order with an id that is taken. */
    public static final class OrderAlreadyExists extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        OrderAlreadyExists(String orderId, OrderStatus status) {
            super("order.already-exists", Kind.CONFLICT, "Order " + orderId + " already exists (" + status + ")");
        }
    }

    /** A lifecycle step the current status does not allow, e.g. shipping a pending order. */
    public static final class IllegalTransition extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;
        private final OrderStatus status;

        IllegalTransition(String orderId, String action, OrderStatus status, String allowedFrom) {
            super("order.illegal-transition", Kind.CONFLICT, "Order " + orderId + " cannot be " + action + " while "
                    + status + "; allowed from " + allowedFrom);
            this.status = status;
        }

        /** @return the order's status when the command came */
        public OrderStatus status() {
            return status;
        }
    }

    /** Items changed after the order left PENDING. */
    public static final class ItemsLocked extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        ItemsLocked(String orderId, OrderStatus status) {
            super("order.items-locked", Kind.CONFLICT, "Items of order " + orderId + " can only change while PENDING;"
                    + " it is " + status);
        }
    }

    /** Removing or re-quantifying a product the order does not have. */
    public static final class UnknownItem extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        UnknownItem(String orderId, String productId) {
            super("order.unknown-item", Kind.INVALID, "Order " + orderId + " has no line for product '" + productId
                    + "'");
        }
    }

    /** Adding a product the order already has (change its quantity instead). */
    public static final class DuplicateItem extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        DuplicateItem(String orderId, String productId) {
            super("order.duplicate-item", Kind.INVALID, "Order " + orderId + " already has a line for product '"
                    + productId + "'; change its quantity instead");
        }
    }

    /** Removing the only line (cancel the order instead). */
    public static final class LastItem extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        LastItem(String orderId, String productId) {
            super("order.last-item", Kind.CONFLICT, "Product '" + productId + "' is the last line of order " + orderId
                    + "; an order keeps at least one line (cancel it instead)");
        }
    }

    /** More lines than an order may have. */
    public static final class TooManyLines extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;

        TooManyLines(String orderId, int lines) {
            super("order.too-many-lines", Kind.INVALID, "Order " + orderId + " would have " + lines
                    + " lines; the limit is " + Orders.MAX_LINES);
        }
    }

    /** A payment that is not exactly the order's total. */
    public static final class PaymentMismatch extends OrderRuleViolation {
        private static final long serialVersionUID = 1L;
        private final Money expected;
        private final Money offered;

        PaymentMismatch(String orderId, Money expected, Money offered) {
            super("order.payment-mismatch", Kind.INVALID, "Payment of " + offered + " for order " + orderId
                    + " does not match its total " + expected);
            this.expected = expected;
            this.offered = offered;
        }

        /** @return the order's total */
        public Money expected() {
            return expected;
        }

        /** @return what was offered */
        public Money offered() {
            return offered;
        }
    }
}
