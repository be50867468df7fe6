package dev.eventfold.server;

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
    private static final ObjectMapper REQUESTS = EventfoldJson.newMapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

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
        } catch (MismatchedInputException e) {
            String field = path(e);
            String message = "has the wrong type or shape (expected " + e.getTargetType().getSimpleName() + ")";
            throw new ApiException(422, "Unprocessable Content", field + " " + message,
                    List.of(Map.of("field", field, "message", message)), Map.of());
        } catch (JsonProcessingException e) {
            throw ApiException.of(400, "Bad Request", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.of(400, "Bad Request", "the body could not be read");
        } catch (IllegalArgumentException e) {
            throw ApiException.of(400, "Bad Request", "the body could not be read: " + e.getMessage());
        }
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
