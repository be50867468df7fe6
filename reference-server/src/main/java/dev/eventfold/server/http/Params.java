package dev.eventfold.server.http;

import dev.eventfold.eventstore.ExpectedVersion;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Path, query and header parameters, each checked with a specific 4xx that names it. Dates are bounded to years 1 to
 * 9999 (PostgreSQL's range is wider, but unbounded input used to reach it as a misleading 503).
 */
final class Params {

    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern ETAG = Pattern.compile("(W/)?\"(-1|\\d{1,18})\"");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Params() {
    }

    /** @return the {@code {id}} path parameter; 404 when it cannot be an order id */
    static String orderId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ORDER_ID.matcher(id).matches()) {
            throw ApiException.notFound("order " + id.replaceAll("[^A-Za-z0-9_-]", "?") + " does not exist");
        }
        return id;
    }

    /** @return the precondition of {@code If-Match}: any when absent or {@code *} */
    static ExpectedVersion ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return ExpectedVersion.any();
        }
        var m = ETAG.matcher(header.strip());
        if (!m.matches()) {
            throw ApiException.of(400, "Bad Request", "If-Match must be an ETag of this API, like \"3\" (a version "
                    + "from 0 to 18 digits, or \"-1\" for an order that must not exist yet)");
        }
        long version = Long.parseLong(m.group(2));
        return version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
    }

    /**
     * @return the newest version named by {@code If-None-Match} (the ETags a client holds), empty when absent or when
     *     it names none of this API's ETags (a cache validator from elsewhere is not an error)
     */
    static java.util.OptionalLong versionSeen(Context ctx) {
        String header = ctx.header("If-None-Match");
        if (header == null || header.length() > 1000) {
            return java.util.OptionalLong.empty();
        }
        long newest = -1;
        for (String tag : header.split(",")) {
            var m = ETAG.matcher(tag.strip());
            if (m.matches()) {
                newest = Math.max(newest, Long.parseLong(m.group(2)));
            }
        }
        return newest < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(newest);
    }

    /** @return the query parameter as a whole number in [min, max], or the fallback when absent */
    static long number(Context ctx, String name, long fallback, long min, long max) {
        String value = ctx.queryParam(name);
        return value == null ? fallback : parseLong(name, value, min, max);
    }

    static long parseLong(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.invalid(name, "must be a whole number from " + min + " to " + max);
    }

    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be an ISO-8601 instant such as 2026-11-24T10:15:30Z");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw ApiException.invalid(name, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
        return parsed;
    }

    static LocalDate day(String name, String value, LocalDate fallback) {
        if (value == null) {
            return fallback;
        }
        LocalDate parsed;
        try {
            parsed = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be a date such as 2026-11-24");
        }
        if (parsed.getYear() < 1 || parsed.getYear() > 9999) {
            throw ApiException.invalid(name, "must be between 0001-01-01 and 9999-12-31");
        }
        return parsed;
    }

    /** An opaque position in the order list: (created at, order id) of the last row of a page. */
    record Cursor(Instant createdAt, String orderId) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "|" + orderId)
                    .getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String value) {
            if (value == null) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                Instant at = Instant.parse(parts[0]);
                if (at.isBefore(EARLIEST) || at.isAfter(LATEST) || !ORDER_ID.matcher(parts[1]).matches()) {
                    throw new IllegalArgumentException("out of range");
                }
                return new Cursor(at, parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.invalid("cursor", "is not a cursor this API gave out");
            }
        }
    }
}
