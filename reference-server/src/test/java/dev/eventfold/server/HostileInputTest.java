package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP layer tried as an attacker would: every answer is a specific 4xx problem, fast, and never echoes input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String schema = TestServers.migratedSchema("hostile");
    private Server server;
    private Http http;
    private String ada;
    private String admin;

    @BeforeAll
    void start() {
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        env.put("REQUEST_HEADER_TIMEOUT_SECONDS", "2");
        server = Server.start(ServerConfig.load(env));
        http = new Http(server.port());
        ada = server.token("ada", Role.CUSTOMER);
        admin = server.token("ops", Role.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        TestServers.dropSchema(schema);
    }

    private static String order(String price) {
        return "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":" + price + "}]}";
    }

    private static void assertProblem(Http.Response response, int status, String detailPart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().length()).as("short, never echoing the input").isLessThan(1000);
        assertThat(response.json().get("detail").asText()).contains(detailPart);
    }

    private long events() throws Exception {
        try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT count(*) FROM " + schema + ".events")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void numbers_with_huge_exponents_or_lengths_are_refused_at_once() throws Exception {
        long before = events();
        for (String price : List.of("1e1000000000", "1e-1000000000", "\"1e1000000000\"", "-1E+999999999",
                "1" + "0".repeat(45))) {
            long started = System.nanoTime();
            Http.Response response = http.post("/api/orders", ada, order(price));
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms for %s", price).isLessThan(2000);
            assertThat(response.status()).as(price + ": " + response.body()).isIn(400, 422);
            assertThat(response.body().length()).isLessThan(1000);
        }
        assertProblem(http.post("/api/orders", ada, order("1e1000000000")), 422,
                "items[0].price must be a decimal number of at most 40 characters with an exponent within");
        assertProblem(http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\","
                + "\"quantity\":99999999999999999999,\"price\":1}]}"), 400, "not valid JSON");
        assertProblem(http.post("/api/orders", ada, order("1" + "0".repeat(70))), 400, "not valid JSON");
        assertThat(events()).as("nothing was written").isEqualTo(before);
    }

    @Test
    void duplicate_keys_bad_unicode_and_nul_are_refused_naming_the_field() {
        assertProblem(http.post("/api/orders", ada, "{\"customerId\":\"bob\",\"customerId\":\"ada\",\"items\":[{"
                + "\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":1}]}"), 400,
                "Duplicate field 'customerId'");
        Http.Response surrogate = http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"\\ud800\","
                + "\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
        assertProblem(surrogate, 422, "items[0].productId contains an unpaired UTF-16 surrogate");
        assertThat(surrogate.json().get("errors").get(0).get("field").asText()).isEqualTo("items[0].productId");
        assertProblem(http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":\"a\\u0000b\","
                + "\"quantity\":1,\"price\":1}]}"), 422, "items[0].productName must not contain the NUL character");
        Http.Response pair = http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":"
                + "\"\\ud83d\\ude00\",\"quantity\":1,\"price\":1}]}");
        assertThat(pair.status()).as("a valid surrogate pair is fine").isEqualTo(201);
    }

    @Test
    void out_of_range_versions_and_dates_are_4xx_naming_the_parameter() {
        String id = http.post("/api/orders", ada, order("1")).json().get("id").asText();
        assertProblem(http.send("POST", "/api/orders/" + id + "/confirm", ada, null, null, "If-Match",
                "\"99999999999999999999999\""), 400, "If-Match must be an ETag of this API");
        assertProblem(http.get("/api/orders/" + id + "?atVersion=99999999999999999999999", ada), 422, "atVersion");
        assertProblem(http.get("/api/orders/" + id + "?at=%2B999999999-12-31T23:59:59Z", ada), 422,
                "at must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        assertProblem(http.get("/api/orders?createdAfter=%2B999999999-12-31T23:59:59Z", admin), 422, "createdAfter");
        assertProblem(http.get("/api/orders?createdBefore=-999999999-01-01T00:00:00Z", admin), 422, "createdBefore");
        String farCursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "+999999999-12-31T23:59:59Z|x".getBytes(StandardCharsets.UTF_8));
        assertProblem(http.get("/api/orders?cursor=" + farCursor, admin), 422, "cursor is not a cursor this API");
        assertProblem(http.get("/api/reports/sales-daily?from=-5000-01-01&to=-5000-02-01", admin), 422,
                "from must be between 0001-01-01 and 9999-12-31");
    }

    /** Sends raw bytes and reads the whole answer (the server closes after an error). */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void errors_made_below_the_application_are_problem_json_too() throws IOException {
        String host = "Host: 127.0.0.1\r\n";
        Map<String, Integer> attacks = Map.of(
                "GET /api/orders/%zz HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 400,
                "GET /api/orders/a%00b HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 400,
                "GET /api/orders/" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n", 414,
                "GET /api/orders HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431,
                "GET /api/orders HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n", 400);
        for (var attack : attacks.entrySet()) {
            String answer = raw(attack.getKey());
            String label = attack.getKey().substring(0, Math.min(60, attack.getKey().length()));
            assertThat(answer).as(label).startsWith("HTTP/1.1 " + attack.getValue());
            assertThat(answer.toLowerCase()).as(label).contains("content-type: application/problem+json");
            JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("status").asInt()).as(label).isEqualTo(attack.getValue());
            assertThat(body.get("detail").asText()).as(label).isNotBlank().doesNotContain("aaaa");
        }
    }

    @Test
    void a_client_sending_its_headers_a_byte_at_a_time_is_cut_off() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            long started = System.nanoTime();
            boolean closed = false;
            while (!closed && System.nanoTime() - started < 10_000_000_000L) {
                try {
                    out.write('X');
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException e) {
                    // still open: the server is waiting for the rest of the header
                } catch (IOException e) {
                    closed = true; // reset by the server
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(closed).as("closed by the server").isTrue();
            assertThat(seconds).as("after REQUEST_HEADER_TIMEOUT_SECONDS=2, not the idle timeout").isBetween(1L, 5L);
        }
        assertThat(http.get("/api/orders", ada).status()).as("other clients are served").isEqualTo(200);
    }

    @Test
    void json_is_compressed_and_per_user_data_never_lands_in_a_shared_cache() {
        for (int i = 0; i < 12; i++) {
            http.post("/api/orders", ada, order("1"));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                http.get("/api/orders?limit=50", admin).json().get("orders").size() >= 12);
        Http.Response list = http.send("GET", "/api/orders?limit=50", admin, null, null, "Accept-Encoding", "gzip");
        assertThat(list.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(list.header("Cache-Control")).isEqualTo("private, no-cache");
        assertThat(http.get("/api/orders/" + UUID.randomUUID(), ada).header("Cache-Control"))
                .isEqualTo("private, no-cache");
        assertThat(http.get("/openapi.json", null).header("Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(http.get("/health", null).header("Cache-Control")).isEqualTo("no-store");
    }
}
