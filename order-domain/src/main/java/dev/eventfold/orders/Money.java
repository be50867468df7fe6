package dev.eventfold.orders;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * An amount of money in one currency. Immutable.
 *
 * <p><b>Scale and rounding.</b> The amount always has exactly the currency's minor-unit scale (EUR and USD 2, JPY 0,
 * KWD 3): {@code 10} EUR becomes {@code 10.00}. An amount with more decimals than the currency has is rejected, never
 * rounded: {@code 9.999} EUR is an error, not {@code 10.00}. Multiplying by a whole quantity and adding keep the scale
 * exactly, so no rounding ever happens in this domain. Amounts are between 0 and {@value #MAX_AMOUNT} (a price,
 * total or payment above that is an input error, not a sale).
 *
 * @param amount the amount, at the currency's scale
 * @param currency the ISO 4217 currency
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    /** The largest amount accepted: {@value}. */
    public static final String MAX_AMOUNT = "1000000000";

    private static final BigDecimal MAX = new BigDecimal(MAX_AMOUNT);

    /**
     * @throws InvalidOrderData if the amount is null, negative, above the maximum or has more decimals than the
     *     currency allows, or the currency is null or has no minor unit (pseudo-currencies such as XAU)
     */
    public Money {
        if (currency == null) {
            throw new InvalidOrderData("currency", "is required");
        }
        int scale = currency.getDefaultFractionDigits();
        if (scale < 0) {
            throw new InvalidOrderData("currency", currency.getCurrencyCode() + " has no minor unit; use a national "
                    + "currency");
        }
        if (amount == null) {
            throw new InvalidOrderData("amount", "is required");
        }
        if (amount.signum() < 0) {
            throw new InvalidOrderData("amount", "must not be negative, was " + shown(amount));
        }
        if (amount.compareTo(MAX) > 0) {
            throw new InvalidOrderData("amount", "must not exceed " + MAX_AMOUNT + ", was " + shown(amount));
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > scale) {
            throw new InvalidOrderData("amount", shown(amount) + " has more decimals than "
                    + currency.getCurrencyCode() + " allows (" + scale + ")");
        }
        amount = amount.setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** An amount as a message shows it: plain when short, in scientific notation when its exponent is large. */
    private static String shown(BigDecimal amount) {
        return Math.abs((long) amount.scale()) > 30 ? amount.toString() : amount.toPlainString();
    }

    /**
     * @param amount a decimal string, e.g. {@code "19.90"}
     * @param currencyCode an ISO 4217 code, e.g. {@code "EUR"}
     * @return the money
     * @throws InvalidOrderData if either is malformed
     */
    public static Money of(String amount, String currencyCode) {
        return new Money(parse(amount), currency(currencyCode));
    }

    /**
     * @param currency a currency
     * @return zero in it
     */
    public static Money zero(Currency currency) {
        return new Money(BigDecimal.ZERO, currency);
    }

    /**
     * @param code an ISO 4217 code
     * @return the currency
     * @throws InvalidOrderData if it is not one
     */
    public static Currency currency(String code) {
        if (code == null || !CURRENCY_CODE.matcher(code).matches()) {
            throw new InvalidOrderData("currency", "must be an ISO 4217 code of three capital letters, was '" + code
                    + "'");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new InvalidOrderData("currency", "'" + code + "' is not an ISO 4217 currency");
        }
    }

    private static BigDecimal parse(String amount) {
        if (amount == null || amount.length() > 40) {
            throw new InvalidOrderData("amount", "must be a decimal number");
        }
        try {
            return new BigDecimal(amount);
        } catch (NumberFormatException e) {
            throw new InvalidOrderData("amount", "'" + amount + "' is not a decimal number");
        }
    }

    /**
     * @param other money in the same currency
     * @return the sum
     * @throws InvalidOrderData if the currencies differ or the sum exceeds the maximum
     */
    public Money plus(Money other) {
        sameCurrency(other);
        return new Money(amount.add(other.amount), currency);
    }

    /**
     * @param other money in the same currency, not more than this
     * @return the difference
     * @throws InvalidOrderData if the currencies differ or the result would be negative
     */
    public Money minus(Money other) {
        sameCurrency(other);
        return new Money(amount.subtract(other.amount), currency);
    }

    /**
     * @param quantity a non-negative whole quantity
     * @return this amount times it
     * @throws InvalidOrderData if the product exceeds the maximum
     */
    public Money times(int quantity) {
        return new Money(amount.multiply(BigDecimal.valueOf(quantity)), currency);
    }

    /** @return whether the amount is zero */
    public boolean isZero() {
        return amount.signum() == 0;
    }

    private void sameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new InvalidOrderData("currency", "cannot combine " + currency.getCurrencyCode() + " with "
                    + other.currency.getCurrencyCode());
        }
    }

    /**
     * @throws InvalidOrderData if the currencies differ
     */
    @Override
    public int compareTo(Money other) {
        sameCurrency(other);
        return amount.compareTo(other.amount);
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency.getCurrencyCode();
    }
}
