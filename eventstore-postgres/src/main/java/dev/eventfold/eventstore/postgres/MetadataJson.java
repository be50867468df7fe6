package dev.eventfold.eventstore.postgres;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.Metadata;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The codec of the {@code metadata} column: {@link Metadata} to and from its JSON object, with Jackson's streaming
 * generator and parser (no tree), since it runs once per event appended and once per event read.
 */
final class MetadataJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMPTY_METADATA = "{}";

    private MetadataJson() {
    }

    /**
     * @param metadata an event's metadata
     * @return it as the JSON object the metadata column stores
     */
    static String write(Metadata metadata) {
        if (metadata.isEmpty()) {
            return EMPTY_METADATA;
        }
        // Written with the streaming generator (no tree): it runs once per event appended.
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            writeIfPresent(json, "correlationId", metadata.correlationId());
            writeIfPresent(json, "causationId", metadata.causationId());
            writeIfPresent(json, "userId", metadata.userId());
            writeIfPresent(json, "tenantId", metadata.tenantId());
            if (!metadata.headers().isEmpty()) {
                json.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : metadata.headers().entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; a header the generator refuses would be a bug of Metadata's checks.
            throw new InvalidEventException("metadata could not be written as JSON: " + e.getMessage());
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /** Parses stored metadata with the streaming parser (no tree): it runs once per event read. */
    static Metadata read(byte[] json) {
        if (json.length == 2 && json[0] == '{' && json[1] == '}') {
            return Metadata.empty();
        }
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            String correlationId = null;
            String causationId = null;
            String userId = null;
            String tenantId = null;
            Map<String, String> headers = Map.of();
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "correlationId" -> correlationId = parser.getValueAsString();
                    case "causationId" -> causationId = parser.getValueAsString();
                    case "userId" -> userId = parser.getValueAsString();
                    case "tenantId" -> tenantId = parser.getValueAsString();
                    case "headers" -> {
                        expect(parser, value, JsonToken.START_OBJECT);
                        headers = new HashMap<>();
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            parser.nextToken();
                            headers.put(name, parser.getValueAsString());
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            return new Metadata(correlationId, causationId, userId, tenantId, headers);
        } catch (IOException e) {
            throw new InvalidEventException("stored metadata is not a JSON object of the expected shape: "
                    + e.getMessage());
        }
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(parser, "expected " + expected + " but found " + actual);
        }
    }
}
