package dev.eventfold.orders;

/**
 * One line of an order: a product, how many, at what unit price. Immutable.
 *
 * @param productId the product's id, 1 to {@value #MAX_ID_LENGTH} characters
 * @param productName its name as sold, 1 to {@value #MAX_NAME_LENGTH} characters
 * @param quantity 1 to {@value #MAX_QUANTITY}
 * @param unitPrice the price of one unit
 */
public record OrderLine(String productId, String productName, int quantity, Money unitPrice) {

    /** Longest product id. */
    public static final int MAX_ID_LENGTH = 100;
    /** Longest product name. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Largest quantity of one line. */
    public static final int MAX_QUANTITY = 10_000;

    /**
     * @throws InvalidOrderData naming the field that breaks a rule
     */
    public OrderLine {
        productId = text("productId", productId, MAX_ID_LENGTH);
        productName = text("productName", productName, MAX_NAME_LENGTH);
        checkQuantity(quantity);
        if (unitPrice == null) {
            throw new InvalidOrderData("price", "is required");
        }
        lineTotal(quantity, unitPrice);
    }

    /** @return quantity × unit price */
    public Money total() {
        return lineTotal(quantity, unitPrice);
    }

    /**
     * @param newQuantity a quantity
     * @return this line with it
     */
    public OrderLine withQuantity(int newQuantity) {
        return new OrderLine(productId, productName, newQuantity, unitPrice);
    }

    static void checkQuantity(int quantity) {
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new InvalidOrderData("quantity", "must be between 1 and " + MAX_QUANTITY + ", was " + quantity);
        }
    }

    private static Money lineTotal(int quantity, Money unitPrice) {
        return unitPrice.times(quantity);
    }

    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidOrderData(field, "is required");
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw new InvalidOrderData(field, "must be at most " + maxLength + " characters, was " + trimmed.length());
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidOrderData(field, "must not contain control characters");
        }
        return trimmed;
    }
}
