package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real server on a free port, against the real PostgreSQL (its own schema), called over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTest {

    static final String HOST = env("EVENTFOLD_TEST_DB_HOST", "127.0.0.1");
    static final String USER = env("EVENTFOLD_TEST_DB_USER", "postgres");
    static final String PASSWORD = System.getenv("EVENTFOLD_TEST_DB_PASSWORD");

    private final String schema = TestServers.migratedSchema("srv");
    private Server server;
    private Http http;
    private String ada;
    private String bob;
    private String admin;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static Map<String, String> environment(String schema) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("METRICS_PORT", "0");
        env.put("DB_HOST", HOST);
        env.put("DB_NAME", "postgres");
        env.put("DB_USERNAME", USER);
        if (PASSWORD != null) {
            env.put("DB_PASSWORD", PASSWORD);
        }
        env.put("EVENTSTORE_SCHEMA", schema);
        env.put("JWT_SECRET", "test-secret-test-secret-test-secret-0123");
        env.put("JWT_REFRESH_SECRET", "test-refresh-test-refresh-test-refresh-01");
        env.put("APP_VERSION", "1.2.3-test");
        env.put("CORS_ORIGIN", "https://shop.example, https://admin.example");
        return env;
    }

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(environment(schema)));
        http = new Http(server.port());
        ada = server.token("ada", Role.CUSTOMER);
        bob = server.token("bob", Role.CUSTOMER);
        admin = server.token("ops", Role.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        TestServers.dropSchema(schema);
    }

    private static final String ORDER = """
            {"customerId":"ada","currency":"EUR","items":[
              {"productId":"p-1","productName":"Widget","quantity":2,"price":10.00},
              {"productId":"p-2","productName":"Gadget","quantity":1,"price":"5.50"}]}""";

    private String createOrder(String token) {
        Http.Response created = http.post("/api/orders", token, ORDER);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static void assertProblem(Http.Response response, int status, String detailPart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detailPart);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void an_order_is_created_read_and_walked_through_its_life_with_etags() {
        Http.Response created = http.post("/api/orders", ada, ORDER, "X-Correlation-Id", "req-123");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/orders/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"0\"");
        assertThat(created.header("X-Correlation-Id")).isEqualTo("req-123");
        assertThat(created.json().get("total").asText()).isEqualTo("25.50");
        assertThat(created.json().get("status").asText()).isEqualTo("PENDING");

        Http.Response read = http.get("/api/orders/" + id, ada);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"0\"");
        assertThat(read.json().get("items")).hasSize(2);

        Http.Response confirmed = http.post("/api/orders/" + id + "/confirm", ada, null, "If-Match", "\"0\"");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.header("ETag")).isEqualTo("\"1\"");
        assertProblem(http.post("/api/orders/" + id + "/confirm", ada, null, "If-Match", "\"0\""), 412,
                "it is now at version 1");
        Http.Response stalePay = http.post("/api/orders/" + id + "/pay", ada,
                "{\"amount\":25.49,\"paymentReference\":\"pay-1\"}");
        assertProblem(stalePay, 422, "does not match its total 25.50 EUR");
        assertThat(stalePay.json().get("title").asText()).isEqualTo("order.payment-mismatch");
        assertThat(http.post("/api/orders/" + id + "/pay", ada, "{\"amount\":25.50,\"paymentReference\":\"pay-1\"}")
                .status()).isEqualTo(200);
        assertProblem(http.post("/api/orders/" + id + "/ship", ada, "{\"carrier\":\"DHL\",\"trackingNumber\":\"1\"}"),
                403, "needs the admin role");
        Http.Response shipped = http.post("/api/orders/" + id + "/ship", admin,
                "{\"carrier\":\"DHL\",\"trackingNumber\":\"JD014600\"}");
        assertThat(shipped.json().get("shipping").get("carrier").asText()).isEqualTo("DHL");
        assertProblem(http.post("/api/orders/" + id + "/cancel", ada, null), 409,
                "cannot be cancelled while SHIPPED");

        Http.Response atVersion = http.get("/api/orders/" + id + "?atVersion=1", ada);
        assertThat(atVersion.json().get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(atVersion.header("ETag")).isEqualTo("\"1\"");
        JsonNode events = http.get("/api/orders/" + id + "/events", ada).json().get("events");
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("OrderPlaced", "OrderConfirmed", "OrderPaid", "OrderShipped");
        assertThat(events.get(0).get("correlationId").asText()).isEqualTo("req-123");
        assertThat(events.get(2).get("data").get("amount").get("amount").decimalValue()).isEqualByComparingTo("25.50");
    }

    @Test
    void an_idempotency_key_makes_a_retried_create_return_the_first_result() {
        String key = "checkout-" + UUID.randomUUID();
        Http.Response first = http.post("/api/orders", ada, ORDER, "Idempotency-Key", key);
        Http.Response retry = http.post("/api/orders", ada, ORDER, "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(retry.status()).as(retry.body()).isEqualTo(201);
        String id = first.json().get("id").asText();
        assertThat(retry.json().get("id").asText()).isEqualTo(id);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().get("createdAt")).isEqualTo(first.json().get("createdAt"));
        assertThat(http.get("/api/orders/" + id + "/events", ada).json().get("events")).hasSize(1);

        http.post("/api/orders/" + id + "/confirm", ada, null);
        Http.Response late = http.post("/api/orders", ada, ORDER, "Idempotency-Key", key);
        assertThat(late.json().get("status").asText()).as("the first result, not the current state")
                .isEqualTo("PENDING");
        assertProblem(http.post("/api/orders", ada, ORDER.replace("\"quantity\":2", "\"quantity\":3"),
                "Idempotency-Key", key), 422, "already used for a different request");
        assertThat(http.post("/api/orders", admin, ORDER, "Idempotency-Key", key).json().get("id").asText())
                .as("keys are per caller").isNotEqualTo(id);
        assertProblem(http.post("/api/orders", ada, ORDER, "Idempotency-Key", "bad key!"), 400, "Idempotency-Key");
    }

    @Test
    void items_change_only_while_pending() {
        String id = createOrder(ada);
        Http.Response added = http.post("/api/orders/" + id + "/items", ada,
                "{\"productId\":\"p-3\",\"productName\":\"Bolt\",\"quantity\":4,\"price\":0.25}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("total").asText()).isEqualTo("26.50");
        Http.Response changed = http.send("PATCH", "/api/orders/" + id + "/items/p-1", ada, "application/json",
                "{\"quantity\":5}");
        assertThat(changed.json().get("total").asText()).isEqualTo("56.50");
        Http.Response removed = http.send("DELETE", "/api/orders/" + id + "/items/p-2", ada, null, null);
        assertThat(removed.json().get("total").asText()).isEqualTo("51.00");
        http.post("/api/orders/" + id + "/confirm", ada, null);
        assertProblem(http.post("/api/orders/" + id + "/items", ada,
                "{\"productId\":\"p-4\",\"productName\":\"Nut\",\"quantity\":1,\"price\":1}"), 409,
                "can only change while PENDING");
    }

    @Test
    void callers_must_authenticate_and_see_only_their_own_orders() {
        String id = createOrder(ada);
        assertProblem(http.get("/api/orders/" + id, null), 401, "bearer token");
        assertProblem(http.get("/api/orders/" + id, "not.a.token"), 401, "not valid");
        String forged = new Tokens("another-secret-another-secret-0123456", "another-refresh-another-refresh-01234",
                Duration.ofHours(1), Duration.ofDays(1), java.time.Clock.systemUTC(), null).issue("ada", Role.ADMIN);
        assertProblem(http.get("/api/orders/" + id, forged), 401, "not valid");
        String expired = new Tokens("test-secret-test-secret-test-secret-0123", "test-refresh-test-refresh-test-refresh-01",
                Duration.ofMinutes(1), Duration.ofDays(1), java.time.Clock.offset(java.time.Clock.systemUTC(),
                Duration.ofHours(-2)), null).issue("ada", Role.CUSTOMER);
        assertProblem(http.get("/api/orders/" + id, expired), 401, "expired");
        assertProblem(http.get("/api/orders/" + id, bob), 404, "does not exist");
        assertProblem(http.post("/api/orders/" + id + "/cancel", bob, null), 404, "does not exist");
        assertProblem(http.post("/api/orders", bob, ORDER), 403, "only place orders for themselves");
        assertThat(http.get("/api/orders/" + id, admin).status()).isEqualTo(200);
    }

    @Test
    void bad_input_gets_a_specific_problem_and_writes_nothing() {
        assertProblem(http.post("/api/orders", ada, "{\"customerId\":"), 400, "not valid JSON");
        Http.Response unknown = http.post("/api/orders", ada, "{\"customerId\":\"ada\",\"items\":[],\"vip\":true}");
        assertProblem(unknown, 422, "unknown field 'vip'");
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("vip");
        Http.Response wrongType = http.post("/api/orders", ada,
                "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":\"two\",\"price\":1}]}");
        assertProblem(wrongType, 422, "items[0].quantity");
        assertProblem(http.post("/api/orders", ada,
                "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":-1}]}"), 422,
                "must not be negative");
        assertProblem(http.post("/api/orders", ada,
                "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":1.999}]}"), 422,
                "more decimals than EUR allows");
        assertProblem(http.post("/api/orders", ada,
                "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":100000,\"price\":1}]}"), 422,
                "quantity must be between 1 and 10000");
        assertProblem(http.post("/api/orders", ada, "{\"items\":[]}"), 422, "at least one item");
        assertProblem(http.send("POST", "/api/orders", ada, "text/plain", ORDER), 415, "application/json");
        assertProblem(http.post("/api/orders", ada, "{\"customerId\":\"" + "x".repeat(70_000) + "\"}"), 413,
                "exceeds");
        assertProblem(http.get("/api/nothing-here", ada), 404, "no route");
        assertProblem(http.send("PUT", "/api/orders", ada, "application/json", "{}"), 405, "not allowed");
        assertProblem(http.get("/api/orders/" + UUID.randomUUID(), ada), 404, "does not exist");
        assertProblem(http.get("/api/orders?limit=0", admin), 422, "limit");
    }

    @Test
    void the_order_list_pages_by_a_cursor_that_stays_stable_while_orders_arrive() {
        String customer = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String carol = server.token(customer, Role.CUSTOMER);
        String order = ORDER.replace("\"customerId\":\"ada\",", "");
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(http.post("/api/orders", carol, order).json().get("id").asText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/orders?limit=100", carol).json()
                .get("orders").size() == 5);

        Http.Response first = http.get("/api/orders?limit=2", carol);
        Set<String> seen = new HashSet<>();
        first.json().get("orders").forEach(o -> seen.add(o.get("id").asText()));
        http.post("/api/orders", carol, order); // arrives between pages: newest, so before the cursor
        String cursor = first.json().get("nextCursor").asText();
        while (cursor != null) {
            JsonNode page = http.get("/api/orders?limit=2&cursor=" + cursor, carol).json();
            page.get("orders").forEach(o -> assertThat(seen.add(o.get("id").asText())).as("no repeats").isTrue());
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        }
        assertThat(seen).isEqualTo(created);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/customers/" + customer
                + "/orders?limit=100", admin).json().get("orders").size() == 6);
        assertProblem(http.get("/api/customers/" + customer + "/orders", ada), 403, "their own orders");
        assertProblem(http.get("/api/orders?cursor=garbage", carol), 422, "cursor");
    }

    private List<String> rows(String table, String orderBy) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT t::text FROM " + schema + "." + table
                        + " t ORDER BY " + orderBy)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void history_and_daily_sales_follow_the_orders_and_a_rebuild_yields_identical_rows() throws Exception {
        String customer = "dave-" + UUID.randomUUID().toString().substring(0, 8);
        String dave = server.token(customer, Role.CUSTOMER);
        String order = ORDER.replace("\"customerId\":\"ada\",", "");
        String kept = http.post("/api/orders", dave, order).json().get("id").asText();
        String refunded = http.post("/api/orders", dave, order).json().get("id").asText();
        for (String id : List.of(kept, refunded)) {
            http.post("/api/orders/" + id + "/confirm", dave, null);
            assertThat(http.post("/api/orders/" + id + "/pay", dave,
                    "{\"amount\":25.50,\"paymentReference\":\"p-" + id + "\"}").status()).isEqualTo(200);
        }
        assertThat(http.post("/api/orders/" + refunded + "/cancel", dave, "{\"reason\":\"changed mind\"}")
                .json().get("cancellation").get("refund").asText()).isEqualTo("25.50");
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/customers/" + customer + "/history", dave)
                .json().get("history").size() == 7);
        JsonNode history = http.get("/api/customers/" + customer + "/history", dave).json().get("history");
        assertThat(history.get(0).get("event").asText()).isEqualTo("OrderCancelled");
        assertThat(history.get(0).get("status").asText()).isEqualTo("CANCELLED");
        assertProblem(http.get("/api/customers/" + customer + "/history", ada), 403, "their own history");

        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertProblem(http.get("/api/reports/sales-daily", dave), 403, "admin role");
        JsonNode days = http.get("/api/reports/sales-daily?from=" + today + "&to=" + today, admin).json().get("days");
        assertThat(days).hasSize(1);
        assertThat(days.get(0).get("orders").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(new java.math.BigDecimal(days.get(0).get("refunds").asText())).isGreaterThanOrEqualTo(
                new java.math.BigDecimal("25.50"));
        assertProblem(http.get("/api/reports/sales-daily?from=2026-13-01", admin), 422, "from");

        await().atMost(Duration.ofSeconds(30)).until(() -> server.readModels().status().lagEvents() == 0);
        List<String> summaries = rows("order_summaries_v1", "order_id");
        List<String> historyRows = rows("customer_order_history_v1", "order_id, version");
        List<String> sales = rows("sales_daily_v1", "day, currency");
        long applied = server.readModels().eventsProcessed();

        server.readModels().rebuild();
        await().atMost(Duration.ofSeconds(60)).until(() -> server.readModels().eventsProcessed()
                >= applied + historyRows.size() && server.readModels().status().lagEvents() == 0);

        assertThat(rows("order_summaries_v1", "order_id")).isEqualTo(summaries);
        assertThat(rows("customer_order_history_v1", "order_id, version")).isEqualTo(historyRows);
        assertThat(rows("sales_daily_v1", "day, currency")).isEqualTo(sales);
    }

    @Test
    void a_command_can_wait_until_the_read_models_show_it() {
        String customer = "erin-" + UUID.randomUUID().toString().substring(0, 8);
        String erin = server.token(customer, Role.CUSTOMER);
        String order = ORDER.replace("\"customerId\":\"ada\",", "");
        for (int i = 0; i < 5; i++) {
            Http.Response created = http.post("/api/orders", erin, order, "Prefer", "read-your-writes");
            assertThat(created.header("Preference-Applied")).isEqualTo("read-your-writes");
            assertThat(http.get("/api/orders?limit=100", erin).json().get("orders")).as("visible at once")
                    .hasSize(i + 1);
            String id = created.json().get("id").asText();
            http.post("/api/orders/" + id + "/confirm", erin, null, "Prefer", "read-your-writes");
            assertThat(http.get("/api/orders?status=CONFIRMED&limit=100", erin).json().get("orders")).hasSize(i + 1);
        }
    }

    @Test
    void the_openapi_document_describes_every_route() throws Exception {
        Http.Response doc = http.get("/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        JsonNode paths = doc.json().get("paths");
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/java/dev/eventfold/server/http/HttpApp.java"));
        var route = java.util.regex.Pattern.compile("cfg\\.routes\\.(get|post|patch|delete|ws)\\(\"([^\"]+)\"")
                .matcher(source);
        int routes = 0;
        while (route.find()) {
            routes++;
            String method = route.group(1).equals("ws") ? "get" : route.group(1);
            assertThat(paths.has(route.group(2))).as("documented: %s", route.group(2)).isTrue();
            assertThat(paths.get(route.group(2)).has(method)).as("%s %s documented", method, route.group(2))
                    .isTrue();
        }
        assertThat(routes).isGreaterThan(12);
        for (String probe : List.of("/health", "/health/live", "/health/ready", "/ready")) {
            assertThat(paths.get(probe).has("get")).as("%s documented", probe).isTrue();
        }
        assertThat(doc.json().get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void cors_echoes_only_listed_origins_with_credentials() {
        Http.Response preflight = http.send("OPTIONS", "/api/orders", null, null, null, "Origin",
                "https://admin.example", "Access-Control-Request-Method", "POST");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).as("server.cors.credentials is off by default")
                .isNull();
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization").contains("If-Match");
        Http.Response get = http.send("GET", "/api/orders", ada, null, null, "Origin", "https://shop.example");
        assertThat(get.header("Access-Control-Allow-Origin")).as("one origin, never a joined list")
                .isEqualTo("https://shop.example");
        assertThat(get.header("Access-Control-Expose-Headers")).contains("ETag");
        assertThat(get.header("Vary")).contains("Origin");

        Http.Response stranger = http.send("OPTIONS", "/api/orders", null, null, null, "Origin",
                "https://evil.example", "Access-Control-Request-Method", "POST");
        assertProblem(stranger, 403, "origin 'https://evil.example' is not allowed");
        assertThat(stranger.header("Access-Control-Allow-Origin")).isNull();
        Http.Response strangerGet = http.send("GET", "/api/orders", ada, null, null, "Origin", "https://evil.example");
        assertThat(strangerGet.status()).isEqualTo(200);
        assertThat(strangerGet.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void health_and_readiness_have_the_seed_shape() {
        Http.Response live = http.get("/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("status").asText()).isEqualTo("ok");
        assertThat(http.get("/health/ready", null).json().get("status").asText()).isEqualTo("ready");
        assertThat(http.get("/ready", null).status()).isEqualTo(200);
        Http.Response response = http.get("/health", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode health = response.json();
        assertThat(health.fieldNames()).toIterable().containsExactly("status", "timestamp", "version", "uptime",
                "dependencies", "metrics");
        assertThat(health.get("status").asText()).as("Redis is not configured: in-process substitutes answer")
                .isEqualTo("healthy");
        assertThat(health.get("version").asText()).isEqualTo("1.2.3-test");
        assertThat(java.time.Instant.parse(health.get("timestamp").asText())).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(health.get("uptime").isNumber()).isTrue();
        JsonNode dependencies = health.get("dependencies");
        assertThat(dependencies.fieldNames()).toIterable().containsExactly("database", "redis", "eventStore");
        for (JsonNode dependency : dependencies) {
            assertThat(dependency.fieldNames()).toIterable().containsExactly("status", "responseTime", "lastChecked");
            assertThat(dependency.get("status").asText()).isEqualTo("healthy");
            assertThat(dependency.get("responseTime").isIntegralNumber()).isTrue();
            java.time.Instant.parse(dependency.get("lastChecked").asText());
        }
        JsonNode metrics = health.get("metrics");
        assertThat(metrics.fieldNames()).toIterable().containsExactly("memory", "cpu", "eventProcessing");
        assertThat(metrics.get("memory").fieldNames()).toIterable().contains("rss", "heapTotal", "heapUsed",
                "external", "arrayBuffers");
        assertThat(metrics.get("memory").get("heapUsed").asLong()).isPositive();
        assertThat(metrics.get("memory").get("rss").asLong()).isGreaterThan(metrics.get("memory").get("heapUsed")
                .asLong() / 2);
        assertThat(metrics.get("cpu").get("cores").asInt()).isPositive();
        assertThat(metrics.get("eventProcessing").get("projection").asText()).isEqualTo("order-read-models");
        assertThat(metrics.get("eventProcessing").has("lagEvents")).isTrue();
    }

    @Test
    void prometheus_metrics_use_the_seed_names_and_route_templates() {
        String id = createOrder(ada);
        http.get("/api/orders/" + id, ada);
        http.get("/api/orders/" + UUID.randomUUID(), ada);
        http.post("/api/orders/" + UUID.randomUUID() + "/cancel", ada, null);
        http.post("/api/orders/" + UUID.randomUUID() + "/frobnicate", ada, null);
        http.get("/health", null);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new Http(server.metricsPort())
                .get("/metrics", null).body().contains("events_processed_total{event_type=\"OrderPlaced\""));
        Http.Response scrape = new Http(server.metricsPort()).get("/metrics", null);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body())
                .contains("http_request_duration_seconds_bucket{")
                .contains("http_requests_total{method=\"GET\",route=\"/api/orders/{id}\",status_code=\"200\"}")
                .contains("route=\"/api/orders/{id}\",status_code=\"404\"")
                .contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/orders/{id}\","
                        + "status_code=\"200\",le=\"0.2\"}")
                .contains("order_reconstruction_duration_seconds_bucket{le=\"5.0\"}")
                .contains("order_reconstruction_duration_seconds_bucket{le=\"0.1\"}")
                .contains("event_processing_duration_seconds_bucket{event_type=\"OrderPlaced\",le=\"0.1\"}")
                .contains("events_processed_total{event_type=\"OrderPlaced\",status=\"success\"}")
                .contains("order_commands_total{command=\"create\",outcome=\"success\"}")
                .contains("order_commands_total{command=\"cancel\",outcome=\"4xx\"}")
                .contains("order_commands_total{command=\"unknown\",outcome=\"4xx\"}")
                .contains("alert_threshold{metric=\"responseTime\",severity=\"critical\"} 2.0")
                .contains("health_dependency_up{dependency=\"database\"}")
                .contains("redis_connections_active")
                .contains("database_connection_pool_active")
                .contains("projection_lag_events")
                .contains("eventstore_reader_horizon_events_held_back")
                .contains("jvm_memory_used_bytes")
                .doesNotContain(id);
    }
}
