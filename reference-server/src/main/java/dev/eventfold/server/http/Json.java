package dev.eventfold.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.eventfold.eventstore.serialization.EventfoldJson;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Request bodies: JSON only, strictly typed, unknown fields refused, each problem named by its field path. */
final class Json {

    static final ObjectMapper RESPONSES = EventfoldJson.newMapper();
    private static final ObjectMapper REQUESTS = requests();

    /**
     * Strict request parsing: unknown fields, trailing tokens, duplicate keys and floats for integers are refused;
     * numbers are bounded in length (64 characters) and decimals in exponent before anything computes with them (a
     * few bytes like {@code 1e1000000000} would otherwise cost seconds and gigabytes once printed or scaled); nesting is
     * bounded.
     */
    private static ObjectMapper requests() {
        ObjectMapper mapper = EventfoldJson.newMapper().copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxNumberLength(64).maxNestingDepth(32).build());
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("bounded-decimals")
                .addDeserializer(java.math.BigDecimal.class, new BoundedDecimal()));
        return mapper;
    }

    private Json() {
    }

    static <T> T body(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw ApiException.of(415, "Unsupported Media Type", "send the body as application/json, not "
                    + (contentType == null ? "no content type" : contentType));
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw ApiException.of(400, "Bad Request", "the request body is empty; a JSON object is expected");
        }
        try {
            JsonNode tree = REQUESTS.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw ApiException.of(400, "Bad Request", "the request body must be a JSON object");
            }
            checkText("", tree);
            T value = REQUESTS.treeToValue(tree, type);
            if (value == null) {
                throw ApiException.of(400, "Bad Request", "the request body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ApiException(422, "Unprocessable Content", "unknown field '" + field + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")),
                    List.of(Map.of("field", field, "message", "is not a known field")), Map.of());
        } catch (com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
            String field = path(e);
            String message = shortMessage(e);
            throw new ApiException(422, "Unprocessable Content", field + " " + message,
                    List.of(Map.of("field", field, "message", message)), Map.of());
        } catch (MismatchedInputException e) {
            String field = path(e);
            String message = "has the wrong type or shape (expected " + e.getTargetType().getSimpleName() + ")";
            throw new ApiException(422, "Unprocessable Content", field + " " + message,
                    List.of(Map.of("field", field, "message", message)), Map.of());
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            throw ApiException.of(400, "Bad Request", "the body is not valid JSON: "
                    + (reason.length() > 200 ? reason.substring(0, 200) + "..." : reason));
        } catch (java.io.IOException e) {
            throw ApiException.of(400, "Bad Request", "the body could not be read");
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "Bad Request", "the body could not be read: " + e.getMessage());
        }
    }

    /** Jackson's message without the value it quotes: ours say what is expected, never echo the input. */
    private static String shortMessage(com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
        String message = e.getOriginalMessage();
        return message.startsWith("must ") ? message : "has the wrong format (expected "
                + e.getTargetType().getSimpleName() + ")";
    }

    /**
     * Refuses text PostgreSQL and every consumer would choke on: unpaired UTF-16 surrogates (from escapes like
     * {@code "\ud800"}) and NUL characters, in values and in field names.
     */
    private static void checkText(String path, JsonNode node) {
        if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            if (problem != null) {
                String field = path.isEmpty() ? "(body)" : path;
                throw new ApiException(422, "Unprocessable Content", field + " " + problem,
                        List.of(Map.of("field", field, "message", problem)), Map.of());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkText(path + "[" + i + "]", node.get(i));
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (textProblem(field.getKey()) != null) {
                    throw ApiException.of(400, "Bad Request", "a field name " + textProblem(field.getKey()));
                }
                checkText(name, field.getValue());
            }
        }
    }

    private static String textProblem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (an escape like \\ud800 that is not half of a pair); "
                        + "send valid Unicode";
            }
        }
        return null;
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
            StringBuilder path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return path.length() == 0 ? "(body)" : path.toString();
        }
        return "(body)";
    }
}
