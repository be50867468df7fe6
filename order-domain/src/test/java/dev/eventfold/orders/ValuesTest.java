package dev.eventfold.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.orders.OrderCommand.PlaceOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Money, lines, personal data and commands reject what can never be right, naming the field. */
class ValuesTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({"10, EUR, 10.00", "10.5, EUR, 10.50", "0, EUR, 0.00", "1500, JPY, 1500", "1.234, KWD, 1.234",
            "19.900, EUR, 19.90", "1000000000, EUR, 1000000000.00"})
    void money_takes_the_scale_of_its_currency(String amount, String currency, String expected) {
        Money money = Money.of(amount, currency);
        assertThat(money.amount().toPlainString()).isEqualTo(expected);
        assertThat(money).isEqualTo(Money.of(expected, currency));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "9.999 | EUR | amount 9.999 has more decimals than EUR allows (2)",
        "1.5   | JPY | amount 1.5 has more decimals than JPY allows (0)",
        "-0.01 | EUR | amount must not be negative, was -0.01",
        "1000000000.01 | EUR | amount must not exceed 1000000000, was 1000000000.01",
        "1e3x  | EUR | amount '1e3x' is not a decimal number",
        "NaN   | EUR | amount 'NaN' is not a decimal number",
        "1e1000000000  | EUR | amount must not exceed 1000000000, was 1E+1000000000",
        "1e-1000000000 | EUR | amount 1E-1000000000 has more decimals than EUR allows (2)",
        "-1e999999999  | EUR | amount must not be negative, was -1E+999999999",
        "10    | eur | currency must be an ISO 4217 code of three capital letters, was 'eur'",
        "10    | ZZZ | currency 'ZZZ' is not an ISO 4217 currency",
        "10    | XAU | currency XAU has no minor unit; use a national currency"})
    void money_rejects_what_cannot_be_a_price(String amount, String currency, String message) {
        assertThatThrownBy(() -> Money.of(amount, currency)).isInstanceOf(InvalidOrderData.class).hasMessage(message);
    }

    @Test
    void money_arithmetic_is_exact_and_stays_in_one_currency() {
        Money price = Money.of("0.10", "EUR");
        Money sum = Money.zero(price.currency());
        for (int i = 0; i < 10; i++) {
            sum = sum.plus(price);
        }
        assertThat(sum).isEqualTo(Money.of("1.00", "EUR"));
        assertThat(price.times(3)).isEqualTo(Money.of("0.30", "EUR"));
        assertThat(Money.of("1", "EUR").minus(Money.of("0.01", "EUR"))).isEqualTo(Money.of("0.99", "EUR"));
        assertThatThrownBy(() -> price.plus(Money.of("1", "USD"))).hasMessage("currency cannot combine EUR with USD");
        assertThatThrownBy(() -> price.minus(Money.of("1", "EUR")))
                .hasMessage("amount must not be negative, was -0.90");
        assertThat(Money.of("1", "EUR").toString()).isEqualTo("1.00 EUR");
        assertThat(new Money(new BigDecimal("2.50"), price.currency()).compareTo(Money.of("2.5", "EUR"))).isZero();
    }

    @Test
    void lines_and_commands_name_the_broken_field() {
        Money price = Money.of("1", "EUR");
        assertThatThrownBy(() -> new OrderLine("p-1", "Widget", 0, price))
                .hasMessage("quantity must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> new OrderLine("p-1", "Widget", 10_001, price))
                .hasMessage("quantity must be between 1 and 10000, was 10001");
        assertThatThrownBy(() -> new OrderLine(" ", "Widget", 1, price)).hasMessage("productId is required");
        assertThatThrownBy(() -> new OrderLine("p-1", "x".repeat(201), 1, price))
                .hasMessage("productName must be at most 200 characters, was 201");
        assertThatThrownBy(() -> new OrderLine("p-1", "Wid\u0000get", 1, price))
                .hasMessage("productName must not contain control characters");
        assertThatThrownBy(() -> new OrderLine("p-1", "Widget", 1, null)).hasMessage("price is required");
        assertThatThrownBy(() -> new PlaceOrder("o-1", "c-1", Fixtures.EUR, List.of(), null, Instant.EPOCH))
                .hasMessage("items must contain at least one item");
        assertThatThrownBy(() -> new OrderCommand.ConfirmOrder("o-1", null))
                .hasMessage("at is required (the time comes with the command)");
        assertThatThrownBy(() -> new OrderCommand.ShipOrder("o-1", "DHL", "", Instant.EPOCH))
                .hasMessage("trackingNumber is required");
        assertThatThrownBy(() -> new PersonalData("Ada", "not-an-email", null))
                .hasMessage("customer.email is not an e-mail address");
        assertThatThrownBy(() -> new PersonalData.Address("1 St", null, "London", "N1", "uk"))
                .hasMessage("shippingAddress.country must be an ISO 3166 alpha-2 code, was 'uk'");
        assertThat(new PersonalData(" ", "", null)).isEqualTo(new PersonalData(null, null, null));
    }
}
