package dev.eventfold.orders;

/** Input that can never be right: a negative price, a quantity of zero, a bad currency code. Names the field. */
public final class InvalidOrderData extends OrderRuleViolation {

    private static final long serialVersionUID = 1L;
    private final String field;

    /**
     * @param field the field, e.g. {@code items[2].quantity} or {@code price}
     * @param reason what is wrong with it
     */
    public InvalidOrderData(String field, String reason) {
        super("order.invalid-data", Kind.INVALID, field + " " + reason);
        this.field = field;
    }

    /** @return the field */
    public String field() {
        return field;
    }
}
