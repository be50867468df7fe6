package dev.eventfold.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON configuration file, read key by key. Every key read is remembered; {@link #reportUnknownKeys} then names
 * every key of the file that nobody asked for, so a misspelt key fails the start instead of being ignored. Problems
 * are collected, never thrown one at a time, and never quote more than a short value.
 */
final class ConfigFile {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String name;
    private final JsonNode root;
    private final List<String> problems;
    private final Set<String> known = new HashSet<>();

    private ConfigFile(String name, JsonNode root, List<String> problems) {
        this.name = name;
        this.root = root;
        this.problems = problems;
    }

    /**
     * @param path the file
     * @param required whether a missing file is a problem (named explicitly) or means "no file" (default path)
     * @param problems where problems go
     * @return the file, or an empty one when it is missing or unreadable (the problem is recorded)
     */
    static ConfigFile read(Path path, boolean required, List<String> problems) {
        String name = path.toString();
        try {
            JsonNode root = STRICT.readTree(Files.readString(path));
            if (root == null || !root.isObject()) {
                problems.add(name + ": expected a JSON object at the top level");
                return new ConfigFile(name, STRICT.createObjectNode(), problems);
            }
            return new ConfigFile(name, root, problems);
        } catch (NoSuchFileException e) {
            if (required) {
                problems.add(name + ": file not found");
            }
        } catch (JsonProcessingException e) {
            problems.add(name + ": not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            problems.add(name + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return empty(problems);
    }

    /** @return a file with no keys: every value falls back to its default */
    static ConfigFile empty(List<String> problems) {
        return new ConfigFile("(none)", STRICT.createObjectNode(), problems);
    }

    /** @return whether the file sets this key */
    boolean has(String path) {
        return !node(path).isMissingNode();
    }

    private JsonNode node(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    /** Records a problem that involves several keys of this file. */
    void problem(String text) {
        problems.add(name + ": " + text);
    }

    private void bad(String path, String rule, JsonNode was) {
        String shown = was.toString();
        problems.add(name + ": " + path + " must be " + rule + ", was "
                + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown));
    }

    long number(String path, long fallback, long min, long max) {
        known.add(path);
        JsonNode node = node(path);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= min && node.asLong() <= max) {
            return node.asLong();
        }
        bad(path, "a whole number from " + min + " to " + max, node);
        return fallback;
    }

    int integer(String path, int fallback, int min, int max) {
        return (int) number(path, fallback, min, max);
    }

    Duration millis(String path, Duration fallback, long min, long max) {
        return Duration.ofMillis(number(path, fallback.toMillis(), min, max));
    }

    double fraction(String path, double fallback, double min, double max) {
        known.add(path);
        JsonNode node = node(path);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isNumber() && node.asDouble() >= min && node.asDouble() <= max) {
            return node.asDouble();
        }
        bad(path, "a number from " + min + " to " + max, node);
        return fallback;
    }

    boolean bool(String path, boolean fallback) {
        known.add(path);
        JsonNode node = node(path);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        bad(path, "true or false", node);
        return fallback;
    }

    String text(String path, String fallback, String pattern, String rule) {
        known.add(path);
        JsonNode node = node(path);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (node.isTextual() && node.textValue().matches(pattern)) {
            return node.textValue();
        }
        bad(path, rule, node);
        return fallback;
    }

    /** A string that must be one of the given values. */
    String oneOf(String path, String fallback, String... allowed) {
        return text(path, fallback, String.join("|", allowed), "one of \"" + String.join("\", \"", allowed) + "\"");
    }

    /** A string that must be an absolute URL path such as {@code /health}. */
    String urlPath(String path, String fallback) {
        return text(path, fallback, "/[A-Za-z0-9/_.-]{0,99}", "a path such as \"/health\"");
    }

    /** An empty string means unset (the seed's template writes {@code ""} when a value is not given). */
    URI url(String path) {
        String value = text(path, "", ".{0,500}", "a URL of at most 500 characters");
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        bad(path, "an http or https URL", node(path));
        return null;
    }

    /** An array of strings, each checked by {@code check} (which returns a problem or null). */
    List<String> texts(String path, List<String> fallback, java.util.function.Function<String, String> check) {
        known.add(path);
        JsonNode node = node(path);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isArray()) {
            bad(path, "an array of strings", node);
            return fallback;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String problem = item.isTextual() ? check.apply(item.textValue()) : "must be a string";
            if (problem != null) {
                bad(path + "[" + i + "]", problem.replaceFirst("^must be ", ""), item);
            } else {
                values.add(item.textValue());
            }
        }
        return List.copyOf(values);
    }

    /** Names every key in the file that no accessor asked for (leaves and objects no known key lies under). */
    void reportUnknownKeys() {
        walk("", root);
    }

    private void walk(String prefix, JsonNode node) {
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (known.contains(path)) {
                continue;
            }
            boolean parent = known.stream().anyMatch(k -> k.startsWith(path + "."));
            if (parent && field.getValue().isObject()) {
                walk(path, field.getValue());
            } else if (parent) {
                bad(path, "an object", field.getValue());
            } else {
                problems.add(name + ": unknown key '" + path + "'");
            }
        }
    }
}
