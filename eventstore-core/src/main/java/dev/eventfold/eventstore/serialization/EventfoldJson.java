package dev.eventfold.eventstore.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The Jackson settings events and snapshots are written with, unless you bring your own {@link ObjectMapper}.
 *
 * <ul>
 *   <li>Unknown properties are ignored on read, so an older reader tolerates fields a newer writer added (rolling
 *       deploys); removed or renamed fields are the job of an {@link Upcaster}.</li>
 *   <li>Decimal numbers are read as {@link java.math.BigDecimal} where the target is untyped, and written plainly
 *       ({@code 1E+2} never appears): money survives a round trip exactly.</li>
 *   <li>{@link Instant}, {@link LocalDate} and {@link Duration} are ISO-8601 strings (a minimal stand-in for
 *       jackson-datatype-jsr310, which core does not depend on; register that module on your own mapper if you need
 *       other {@code java.time} types).</li>
 *   <li>Null primitives and numbers into enums are errors, not silent zeros.</li>
 *   <li>{@code isX()} methods are not properties (a value's {@code isZero()} must not end up in stored JSON); record
 *       components and {@code getX()} getters are.</li>
 * </ul>
 */
public final class EventfoldJson {

    private EventfoldJson() {
    }

    /** @return a new mapper with the settings above; configure it further before first use, then share it */
    public static ObjectMapper newMapper() {
        SimpleModule time = new SimpleModule("eventfold-java-time");
        time.addSerializer(Instant.class, ToStringSerializer.instance);
        time.addSerializer(LocalDate.class, ToStringSerializer.instance);
        time.addSerializer(Duration.class, ToStringSerializer.instance);
        time.addDeserializer(Instant.class, new Iso8601<>(Instant.class, Instant::parse));
        time.addDeserializer(LocalDate.class, new Iso8601<>(LocalDate.class, LocalDate::parse));
        time.addDeserializer(Duration.class, new Iso8601<>(Duration.class, Duration::parse));
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .addModule(time)
                .build();
    }

    private static final class Iso8601<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parser;

        Iso8601(Class<T> type, Function<String, T> parser) {
            this.type = type;
            this.parser = parser;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                return type.cast(context.handleUnexpectedToken(type, parser));
            }
            try {
                return this.parser.apply(text);
            } catch (DateTimeParseException e) {
                return type.cast(context.handleWeirdStringValue(type, text, "not ISO-8601: %s", e.getMessage()));
            }
        }
    }
}
