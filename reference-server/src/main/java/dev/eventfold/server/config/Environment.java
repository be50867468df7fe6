package dev.eventfold.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Environment variables, read and checked one by one; problems are collected with secrets masked. */
final class Environment {

    private static final Set<String> SECRETS = Set.of("DB_PASSWORD", "JWT_SECRET", "JWT_REFRESH_SECRET",
            "REDIS_PASSWORD", "DB_SSL_CERT", "REDIS_TLS_CERT");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:\\d{1,5})?");

    private final Map<String, String> env;
    private final List<String> problems;
    private final java.util.Set<String> asked = new java.util.TreeSet<>();

    Environment(Map<String, String> env, List<String> problems) {
        this.env = env;
        this.problems = problems;
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    /** @return every variable name the loader asked for */
    java.util.Set<String> asked() {
        return java.util.Collections.unmodifiableSet(asked);
    }

    private String raw(String name) {
        asked.add(name);
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    void bad(String name, String value, String expected) {
        String shown = value == null ? "(unset)" : SECRETS.contains(name) ? "****"
                : "'" + (value.length() > 60 ? value.substring(0, 60) + "..." : value) + "'";
        problems.add(name + "=" + shown + ": expected " + expected);
    }

    String text(String name, String fallback) {
        String value = raw(name);
        return value == null ? fallback : value;
    }

    String matching(String name, String fallback, String pattern, String rule) {
        String value = text(name, fallback);
        if (value != null && !value.matches(pattern)) {
            bad(name, value, rule);
        }
        return value;
    }

    String identifier(String name, String fallback) {
        return matching(name, fallback, "[a-z_][a-z0-9_]{0,47}",
                "a lower-case SQL identifier ([a-z_][a-z0-9_]*, up to 48 characters)");
    }

    long number(String name, long fallback, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        bad(name, value, "a whole number from " + min + " to " + max);
        return fallback;
    }

    int integer(String name, int fallback, int min, int max) {
        return (int) number(name, fallback, min, max);
    }

    int port(String name, int fallback) {
        return integer(name, fallback, 0, 65_535);
    }

    Boolean bool(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        bad(name, value, "true or false");
        return null;
    }

    String oneOf(String name, String fallback, String... allowed) {
        String value = text(name, fallback);
        if (value == null) {
            return null;
        }
        value = value.toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(value)) {
            bad(name, value, "one of " + String.join(", ", allowed));
        }
        return value;
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration parsed = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        }
        bad(name, value, "a duration like 3600, 90m, 24h or 7d, from " + min + " to " + max);
        return fallback;
    }

    /**
     * An https URL (http only to a loopback host, for tests and sidecars), or null when unset.
     */
    java.net.URI url(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            String host = uri.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (host != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        bad(name, value, "an https URL (http only to localhost)");
        return null;
    }

    /** A secret key of at least 32 characters, or null. */
    String key(String name) {
        String value = raw(name);
        if (value != null && value.length() < 32) {
            bad(name, value, "at least 32 characters (HS256 needs a 256-bit key)");
        }
        return value;
    }

    /** A comma-separated list of browser origins ({@code https://host[:port]}, no path), or null when unset. */
    List<String> origins(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        List<String> origins = new ArrayList<>();
        for (String part : value.split(",")) {
            String origin = part.strip();
            String problem = originProblem(origin);
            if (problem != null) {
                bad(name, origin, problem);
            } else if (!origins.contains(origin)) {
                origins.add(origin);
            }
        }
        return List.copyOf(origins);
    }

    /** @return why a text is not a browser origin, or null when it is one */
    static String originProblem(String origin) {
        if (origin.equals("*")) {
            return "an explicit origin: '*' cannot be used with credentials and lets any site call the API";
        }
        return ORIGIN.matcher(origin).matches() ? null
                : "an origin such as https://app.example.com (scheme, host and optional port; no path or slash)";
    }

    /**
     * A CA certificate given as PEM text (as a Kubernetes secret delivers it) or as the path of a PEM file.
     *
     * @return the PEM text, or null when unset or bad
     */
    String certificate(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        String pem = value;
        if (!value.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value));
            } catch (Exception e) {
                bad(name, value, "PEM text (-----BEGIN CERTIFICATE-----...) or the path of a readable PEM file ("
                        + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        try {
            var certificates = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII)));
            if (!certificates.isEmpty()) {
                return pem;
            }
        } catch (java.security.cert.CertificateException e) {
            // reported below
        }
        bad(name, value, "an X.509 certificate in PEM form");
        return null;
    }
}
