package dev.eventfold.orders;

import java.util.regex.Pattern;

/**
 * The customer's personal data given with an order: the GDPR target. Kept in this one value, apart from everything
 * else an event carries, so that it can be encrypted per customer (crypto-shredding) without touching the rest.
 * Every field is optional. Immutable.
 *
 * @param name the customer's name, up to 200 characters
 * @param email an e-mail address, up to 254 characters
 * @param shippingAddress where to ship
 */
public record PersonalData(String name, String email, Address shippingAddress) {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

    /**
     * @throws InvalidOrderData naming the field that breaks a rule
     */
    public PersonalData {
        name = optional("customer.name", name, 200);
        email = optional("customer.email", email, 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new InvalidOrderData("customer.email", "is not an e-mail address");
        }
    }

    static String optional(String field, String value, int maxLength) {
        return value == null || value.isBlank() ? null : OrderLine.text(field, value, maxLength);
    }

    /**
     * A postal address. Immutable.
     *
     * @param line1 street and number
     * @param line2 more, optional
     * @param city the city
     * @param postalCode the postal code
     * @param country an ISO 3166 alpha-2 country code
     */
    public record Address(String line1, String line2, String city, String postalCode, String country) {

        /**
         * @throws InvalidOrderData naming the field that breaks a rule
         */
        public Address {
            line1 = OrderLine.text("shippingAddress.line1", line1, 200);
            line2 = optional("shippingAddress.line2", line2, 200);
            city = OrderLine.text("shippingAddress.city", city, 100);
            postalCode = OrderLine.text("shippingAddress.postalCode", postalCode, 20);
            if (country == null || !COUNTRY_CODE.matcher(country).matches()) {
                throw new InvalidOrderData("shippingAddress.country", "must be an ISO 3166 alpha-2 code, was '"
                        + country + "'");
            }
        }
    }
}
