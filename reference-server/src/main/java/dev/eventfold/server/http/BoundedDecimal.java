package dev.eventfold.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Decimals of request bodies (prices, amounts), from a JSON number or a string: at most 40 characters and an exponent
 * of at most 30 either way, checked before the value is used, so {@code 1e1000000000} is refused at once instead of
 * being scaled, compared or printed as a billion digits. The refusal never quotes the input.
 */
final class BoundedDecimal extends StdScalarDeserializer<BigDecimal> {

    private static final long serialVersionUID = 1L;
    static final String RULE = "must be a decimal number of at most 40 characters with an exponent within ±30, "
            + "such as 19.90";

    BoundedDecimal() {
        super(BigDecimal.class);
    }

    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT
                && token != JsonToken.VALUE_STRING) {
            return (BigDecimal) ctxt.handleUnexpectedToken(BigDecimal.class, p);
        }
        String text = p.getText().strip();
        if (text.length() > 40) {
            throw new InvalidFormatException(p, RULE, "(too long)", BigDecimal.class);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidFormatException(p, RULE, "(not a number)", BigDecimal.class);
        }
        if (Math.abs((long) value.scale()) > 30) {
            throw new InvalidFormatException(p, RULE, "(exponent out of range)", BigDecimal.class);
        }
        return value;
    }
}
