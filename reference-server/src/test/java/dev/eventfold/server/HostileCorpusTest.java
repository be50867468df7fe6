package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route of the OpenAPI document tried with a fixed corpus of hostile path segments, query values, bodies,
 * content types and headers, then a seeded fuzzer of order bodies: no answer is a 5xx or a stack trace, every refusal
 * is a short problem+json naming its status, nothing hostile is written, and the server stays ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fuzzer seed; a failure names the body, so a run can be repeated exactly. */
    private static final long SEED = 20261201L;
    private static final String VALID_ORDER = "{\"customerId\":\"ada\",\"items\":[{\"productId\":\"p-1\","
            + "\"productName\":\"Pen\",\"quantity\":2,\"price\":\"1.25\"}],\"customer\":{\"name\":\"Ada\","
            + "\"email\":\"ada@example.com\"}}";

    static final List<String> SEGMENTS = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "'%20OR%20'1'%3D'1",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a".repeat(300), "%00", "%F0%9F%98%80", "%FF%FE",
            "%3BDROP%20TABLE%20events%3B--", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "-1", "99999999999999999999999");
    static final List<String> VALUES = List.of("' OR 1=1 --", "\"; DROP TABLE events; --", "${jndi:ldap://x/a}",
            "<img src=x onerror=alert(1)>", "../../etc/passwd", "\u0000", "\uD83D\uDE00", "-1", "1e309", "NaN",
            "99999999999999999999999", "%", "", "x".repeat(5000), "2026-13-45T99:99:99Z", "{\"$gt\":\"\"}");
    static final List<String> BODIES = List.of("{", "[]", "null", "\"text\"", "{\"items\":" + "[".repeat(5000),
            "{\"items\":[{\"productId\":{\"$gt\":\"\"},\"productName\":\"n\",\"quantity\":1,\"price\":1}]}",
            "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":-5,\"price\":\"-1\"}]}",
            "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":1e400}]}",
            "{\"reason\":" + "\"r\",".repeat(1000) + "\"r\"}", "{\"a\":1,\"a\":2}", "\u0000\u0001\u0002",
            "{\"items\":[]}", "{\"amount\":\"1\",\"currency\":\"XXXX\",\"method\":\"<script>\"}");

    private final String schema = TestServers.migratedSchema("corpus");
    private Server server;
    private Http http;
    private String admin;
    private String customer;
    private final Map<String, Integer> statuses = new TreeMap<>();
    private int requests;
    private int reconnects;

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(Map.of(
                "PORT", "0", "METRICS_PORT", "0", "DB_HOST", ServerTest.HOST, "DB_NAME", "postgres",
                "DB_USERNAME", ServerTest.USER, "EVENTSTORE_SCHEMA", schema, "RATE_LIMIT_MAX", "1000000",
                "JWT_SECRET", "corpus-secret-corpus-secret-corpus-0123",
                "JWT_REFRESH_SECRET", "corpus-refresh-corpus-refresh-corpus-01")));
        http = new Http(server.port());
        admin = server.token("ops", Role.ADMIN);
        customer = server.token("ada", Role.CUSTOMER);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        TestServers.dropSchema(schema);
        System.out.printf("hostile corpus: %d requests, statuses %s, %d sent again on a new connection%n", requests,
                statuses, reconnects);
    }

    private record Route(String method, String path, List<String> query, boolean body) {
    }

    private List<Route> routes() throws IOException {
        JsonNode paths = JSON.readTree(http.get("/openapi.json", null).body()).get("paths");
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null || path.getKey().equals("/api/sessions/current")) {
                    continue; // signing the caller out is tried with a token of its own below
                }
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : operation.path("parameters")) {
                    if ("query".equals(parameter.path("in").asText())) {
                        query.add(parameter.get("name").asText());
                    }
                }
                routes.add(new Route(method.toUpperCase(), path.getKey(), query, operation.has("requestBody")));
            }
        }
        assertThat(routes).as("the OpenAPI document lists the routes").hasSizeGreaterThan(25);
        return routes;
    }

    private long events() throws Exception {
        try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Http.Response send(String method, String path, String token, String contentType, String body,
            String... headers) {
        Http.Response response = null;
        for (int attempt = 1; response == null; attempt++) {
            try {
                response = http.send(method, path, token, contentType, body, headers);
            } catch (java.io.UncheckedIOException e) {
                // The server closes a connection after a request it could not parse; the client's next request on
                // that pooled connection gets no bytes (and the pool may hold more than one such connection, or the
                // close may race a 200 KB body still being sent). Sent again, it must be answered by the third try.
                assertThat(e).hasMessageContaining("received no bytes");
                assertThat(attempt).as("attempts at " + method + " " + path).isLessThan(3);
                reconnects++;
            }
        }
        requests++;
        statuses.merge(Integer.toString(response.status()), 1, Integer::sum);
        String label = method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path)
                + (body == null ? "" : " body " + (body.length() > 80 ? body.substring(0, 80) + "…" : body));
        assertThat(response.status()).as("%s answered %s", label, response.body()).isLessThan(500);
        String text = response.body() == null ? "" : response.body();
        assertThat(text).as(label).doesNotContain("\tat ").doesNotContain("Exception");
        if (response.status() >= 400) {
            assertThat(response.header("Content-Type")).as("%s answered %d %s", label, response.status(), text)
                    .startsWith("application/problem+json");
            assertThat(text.length()).as("short, never echoing the input: %s", label).isLessThan(2000);
            try {
                assertThat(JSON.readTree(text).path("status").asInt()).as(label).isEqualTo(response.status());
            } catch (IOException e) {
                throw new AssertionError(label + ": not JSON: " + text, e);
            }
        }
        return response;
    }

    private static String fill(String path, String segment) {
        return path.replaceAll("\\{[^}]+}", segment);
    }

    @Test
    void every_route_refuses_the_corpus_with_a_specific_4xx_and_writes_nothing() throws Exception {
        long before = events();
        for (Route route : routes()) {
            for (String segment : SEGMENTS) {
                send(route.method(), fill(route.path(), segment), admin, route.body() ? "application/json" : null,
                        route.body() ? "{}" : null);
            }
            String path = fill(route.path(), "no-such-thing");
            for (String parameter : route.query()) {
                for (String value : VALUES) {
                    send(route.method(), path + "?" + parameter + "=" + URLEncoder.encode(value,
                            StandardCharsets.UTF_8), customer, route.body() ? "application/json" : null,
                            route.body() ? "{}" : null);
                }
            }
            if (route.body()) {
                for (String body : BODIES) {
                    send(route.method(), path, admin, "application/json", body);
                }
                for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                        "application/x-www-form-urlencoded")) {
                    send(route.method(), path, admin, type, VALID_ORDER);
                }
                send(route.method(), path, admin, "application/json", "{\"pad\":\"" + "x".repeat(200_000) + "\"}");
            }
            for (String[] header : List.of(new String[] {"If-Match", "\"abc\""},
                    new String[] {"If-Match", "W/\"1\", \"2\"" + ",\"3\"".repeat(500)},
                    new String[] {"Idempotency-Key", "k".repeat(300)},
                    new String[] {"Idempotency-Key", "a b\u00e9"}, new String[] {"Prefer", "x".repeat(4000)},
                    new String[] {"If-None-Match", "\"" + "9".repeat(40) + "\""},
                    new String[] {"X-Forwarded-For", "127.0.0.1, ' OR 1=1"})) {
                send(route.method(), path, admin, route.body() ? "application/json" : null,
                        route.body() ? "{}" : null, header);
            }
            for (String authorization : List.of("Bearer", "Bearer " + "a".repeat(6000), "Basic YWRtaW46YWRtaW4=",
                    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJvcHMiLCJyb2xlIjoiYWRtaW4ifQ.")) {
                Http.Response response = send(route.method(), path, null, route.body() ? "application/json" : null,
                        route.body() ? "{}" : null, "Authorization", authorization);
                if (route.path().startsWith("/api/") && !route.path().startsWith("/api/sessions")
                        && !route.path().equals("/api/events/live")) {
                    assertThat(response.status()).as("%s %s with %s", route.method(), route.path(),
                            authorization.length() > 40 ? authorization.substring(0, 40) : authorization)
                            .isEqualTo(401);
                }
            }
        }
        String throwaway = server.token("leaving", Role.CUSTOMER);
        send("DELETE", "/api/sessions/current", throwaway, null, null, "If-Match", "\"x\"");
        assertThat(events()).as("nothing hostile was written").isEqualTo(before);
        assertThat(http.get("/health/ready", null).status()).isEqualTo(200);
        assertThat(http.post("/api/orders", customer, VALID_ORDER.replace("\"customerId\":\"ada\",", ""))
                .status()).as("and it still takes a good order").isEqualTo(201);
    }

    /** One random change to a JSON text: a character dropped, doubled or replaced, a fragment repeated, a number blown up. */
    private static String mutate(String text, Random random) {
        int at = random.nextInt(text.length());
        return switch (random.nextInt(7)) {
            case 0 -> text.substring(0, at) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + text.charAt(at) + text.substring(at);
            case 2 -> text.substring(0, at) + (char) random.nextInt(0x3000) + text.substring(at + 1);
            case 3 -> text.substring(0, at) + "\"" + text.substring(at);
            case 4 -> {
                int end = Math.min(text.length(), at + 1 + random.nextInt(20));
                yield text.substring(0, end) + text.substring(at, end) + text.substring(end);
            }
            case 5 -> text.replaceFirst("\\d", "9".repeat(1 + random.nextInt(60)));
            default -> text.substring(0, at) + List.of("null", "{}", "[]", "true", "-0", "1e-999", "\\u0000")
                    .get(random.nextInt(7)) + text.substring(at);
        };
    }

    @Test
    void a_seeded_fuzzer_of_order_bodies_never_gets_a_5xx_and_writes_only_what_it_is_told_was_created()
            throws Exception {
        Random random = new Random(SEED);
        long before = events();
        int created = 0;
        Map<Integer, Integer> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            String body = VALID_ORDER;
            for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
                body = mutate(body, random);
            }
            Http.Response response = send("POST", "/api/orders", customer, "application/json", body);
            outcomes.merge(response.status(), 1, Integer::sum);
            if (response.status() == 201) {
                created++;
            } else {
                assertThat(response.status()).as("seed %d, body %d: %s", SEED, i, body).isIn(400, 403, 413, 415,
                        422);
            }
        }
        assertThat(events() - before).as("one event per order answered 201, none for the rest").isEqualTo(created);
        assertThat(http.get("/health/ready", null).status()).isEqualTo(200);
        System.out.printf("fuzzer (seed %d): 400 bodies, outcomes %s%n", SEED, outcomes);
    }
}
