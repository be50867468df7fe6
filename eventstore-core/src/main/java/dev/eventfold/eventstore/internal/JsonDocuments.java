package dev.eventfold.eventstore.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Checks that payloads are documents every store can keep, and compares them as JSON.
 *
 * <p>"Can keep" is PostgreSQL {@code jsonb}'s rule, so that the in-memory store rejects what the PostgreSQL store
 * rejects: exactly one well-formed JSON value in valid UTF-8, and no string holding U+0000 or an unpaired surrogate.
 * The check streams through the tokens once and allocates no tree. Not API.
 *
 * <p>Thread-safe.
 */
public final class JsonDocuments {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonDocuments() {
    }

    /**
     * @param payload a payload
     * @return {@code null} if the payload is acceptable, otherwise a short description of the problem (with a
     *     character offset, never payload text)
     */
    public static String problemWith(Payload payload) {
        if (payload.size() == 0) {
            return "it is empty";
        }
        try (InputStream in = payload.inputStream(); JsonParser parser = FACTORY.createParser(in)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return "it holds only white space";
            }
            int depth = 0;
            do {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> {
                        String text = parser.getText();
                        String bad = badCharacter(text);
                        if (bad != null) {
                            return "a string at offset " + parser.currentTokenLocation().getCharOffset()
                                    + " holds " + bad;
                        }
                    }
                    default -> {
                    }
                }
                if (depth == 0) {
                    break;
                }
                token = parser.nextToken();
            } while (token != null);
            if (parser.nextToken() != null) {
                return "more than one JSON value (offset " + parser.currentTokenLocation().getCharOffset() + ")";
            }
            return null;
        } catch (JsonParseException e) {
            return "syntax error at offset " + e.getLocation().getCharOffset() + ": " + e.getOriginalMessage();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * @param metadata metadata
     * @return {@code null} if every id, header name and value is storable as JSON text, otherwise the problem
     */
    public static String problemWith(Metadata metadata) {
        for (String id : new String[] {metadata.correlationId(), metadata.causationId(), metadata.userId(),
                metadata.tenantId()}) {
            if (id != null && badCharacter(id) != null) {
                return "has an id holding " + badCharacter(id);
            }
        }
        for (Map.Entry<String, String> header : metadata.headers().entrySet()) {
            String bad = badCharacter(header.getKey());
            if (bad == null) {
                bad = badCharacter(header.getValue());
            }
            if (bad != null) {
                return "header holds " + bad;
            }
        }
        return null;
    }

    private static String badCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "the character U+0000, which PostgreSQL jsonb cannot store";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "an unpaired UTF-16 surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "an unpaired UTF-16 surrogate";
            }
        }
        return null;
    }

    /**
     * Compares two acceptable payloads as JSON values (same members, in any order; same array elements in order;
     * numbers by value).
     *
     * @param a a payload that passed {@link #problemWith(Payload)}
     * @param b another
     * @return {@code true} if they hold the same JSON value
     */
    public static boolean sameJson(Payload a, Payload b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            JsonNode left = MAPPER.readTree(a.inputStream());
            JsonNode right = MAPPER.readTree(b.inputStream());
            return left.equals(NUMERIC_EQUALITY, right);
        } catch (IOException e) {
            return false;
        }
    }

    private static final java.util.Comparator<JsonNode> NUMERIC_EQUALITY = (x, y) -> {
        if (x.equals(y)) {
            return 0;
        }
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return 1;
    };
}
