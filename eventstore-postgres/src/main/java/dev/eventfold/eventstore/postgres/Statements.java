package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named SQL statements kept in a resource file next to this class rather than assembled in Java: each starts at a
 * {@code -- name: <name>} line and runs to the next one; comment lines are dropped and {@code ${schema}} is replaced
 * by the store's schema, as Flyway does for the migrations.
 */
final class Statements {

    private static final String NAME = "-- name:";

    private Statements() {
    }

    /** @return the statements of {@code resource} by name */
    static Map<String, String> load(String resource, String schema) {
        String text;
        try (InputStream in = Statements.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw broken(resource, "missing", null);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw broken(resource, "unreadable", e);
        }
        Map<String, String> statements = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NAME)) {
                put(statements, name, body, resource);
                name = trimmed.substring(NAME.length()).strip();
                body.setLength(0);
            } else if (name != null && !trimmed.isEmpty() && !trimmed.startsWith("--")) {
                body.append(body.length() == 0 ? "" : " ").append(trimmed.replace("${schema}", schema));
            }
        }
        put(statements, name, body, resource);
        return Map.copyOf(statements);
    }

    private static void put(Map<String, String> statements, String name, StringBuilder body, String resource) {
        if (name != null && (body.length() == 0 || statements.putIfAbsent(name, body.toString()) != null)) {
            throw broken(resource, "malformed (statement '" + name + "' is empty or named twice)", null);
        }
    }

    /** The statements ship inside the library's jar: missing or unreadable only if the jar is broken. */
    private static EventStoreUnavailableException broken(String resource, String what, IOException cause) {
        return new EventStoreUnavailableException("the statement file " + resource + " of the event store is " + what
                + "; the eventstore-postgres jar is incomplete", cause);
    }
}
