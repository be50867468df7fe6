package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * GDPR and SOX on a real server and PostgreSQL, with two replicas on one schema: forgetting a customer leaves no
 * plaintext in any table or log line, on either replica's answers, while the orders keep their totals and statuses;
 * tombstoning closes an order for good; every action is in the audit trail; bad requests change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComplianceTest {

    private final String schema = TestServers.migratedSchema("gdpr");
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> plaintext = List.of("Ada Lovelace " + tag, "ada." + tag + "@example.org",
            "12 Analytical St " + tag);
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logLines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
    };
    private Server server;
    private Server replica;
    private Http http;
    private Http replicaHttp;
    private String admin;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        appender.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        Path config = Files.writeString(dir.resolve("app-config.json"),
                "{\"eventSourcing\": {\"snapshotFrequency\": 2, \"personalDataAccessLog\": true},"
                + " \"retention\": {\"policies\": [\"category:sensor maxCount=2\"]}}");
        Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
        env.put("CONFIG_FILE", config.toString());
        server = Server.start(ServerConfig.load(env));
        replica = Server.start(ServerConfig.load(env));
        http = new Http(server.port());
        replicaHttp = new Http(replica.port());
        admin = server.token("ops", Role.ADMIN);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
        replica.close();
        server.close();
        TestServers.dropSchema(schema);
    }

    private String order(String customerId, String name, String email, String street) {
        Http.Response created = http.post("/api/orders", admin, "{\"customerId\":\"" + customerId + "\",\"items\":["
                + "{\"productId\":\"p-1\",\"productName\":\"Widget\",\"quantity\":2,\"price\":\"4.20\"}],"
                + "\"customer\":{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"shippingAddress\":{"
                + "\"line1\":\"" + street + "\",\"city\":\"London\",\"postalCode\":\"N1 7AA\",\"country\":\"GB\"}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private Http.Response forget(String customerId, String token, String reason) {
        return http.send("DELETE", "/api/customers/" + customerId + "/personal-data", token, "application/json",
                reason == null ? "{}" : "{\"reason\":\"" + reason + "\"}");
    }

    private JsonNode audit() {
        Http.Response response = http.get("/api/admin/audit", admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("entries");
    }

    private List<JsonNode> auditOf(String target) {
        List<JsonNode> entries = new ArrayList<>();
        audit().forEach(entry -> {
            if (entry.get("target").asText().equals(target)) {
                entries.add(entry);
            }
        });
        return entries;
    }

    @Test
    void forgetting_a_customer_erases_its_data_everywhere_and_keeps_its_orders_whole() throws Exception {
        String customer = "gdpr-" + tag;
        String first = order(customer, plaintext.get(0), plaintext.get(1), plaintext.get(2));
        String second = order(customer, plaintext.get(0), plaintext.get(1), plaintext.get(2));
        String other = order("keep-" + tag, "Bob Byron", "bob@example.org", "1 Other Rd");
        assertThat(http.post("/api/orders/" + first + "/confirm", admin, "{}").status()).isEqualTo(200);
        assertThat(http.post("/api/orders/" + first + "/pay", admin, "{\"amount\":\"8.40\",\"currency\":\"EUR\","
                + "\"paymentReference\":\"pay-1\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/customers/" + customer + "/orders", admin)
                .json().get("orders").size() == 2);
        // Both replicas now hold the decrypted orders in their caches (and the first one's snapshot is stored).
        assertThat(replicaHttp.get("/api/orders/" + first, admin).body()).contains(plaintext.get(0));
        assertThat(http.get("/api/orders/" + second, admin).body()).contains(plaintext.get(1));
        assertThat(rowsContaining(plaintext)).as("stored encrypted from the start").isEmpty();
        assertThat(logLines).as("access logging names who was served whose data, never the data")
                .contains("personal data served: customer=" + customer + " stream=order-" + second
                        + " version=0 to=ops (GET /api/orders/" + second + ")");
        assertThat(rowsContaining(List.of("\"$pd\""))).anyMatch(row -> row.startsWith("snapshots:"));

        // Refused requests change nothing.
        assertThat(forget(customer, server.token(customer, Role.CUSTOMER), "mine").status()).isEqualTo(403);
        Http.Response noReason = forget(customer, admin, null);
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.body()).contains("reason");
        Http.Response unknown = forget("nobody-" + tag, admin, "ticket 1");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(auditOf(customer)).isEmpty();
        assertThat(http.get("/api/orders/" + first, admin).body()).contains(plaintext.get(0));

        Http.Response forgotten = forget(customer, admin, "GDPR request 812");

        assertThat(forgotten.status()).as(forgotten.body()).isEqualTo(200);
        JsonNode done = forgotten.json();
        assertThat(done.get("keysDestroyed").asInt()).isEqualTo(1);
        assertThat(done.get("ordersAffected").asInt()).isEqualTo(2);
        assertThat(done.at("/audit/action").asText()).isEqualTo("personal-data.forget");
        assertThat(done.at("/audit/actor").asText()).isEqualTo("ops");
        assertThat(done.at("/audit/reason").asText()).isEqualTo("GDPR request 812");

        assertThat(http.get("/api/orders/" + second, admin).body()).as("this replica's cache went at once")
                .doesNotContain(plaintext.get(0));
        for (Http api : List.of(http, replicaHttp)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get("/api/orders/" + first,
                    admin).body()).as("the other replica drops its cache through the audit trail")
                    .doesNotContain(plaintext.get(0)));
            JsonNode paid = api.get("/api/orders/" + first, admin).json();
            assertThat(paid.get("status").asText()).isEqualTo("PAID");
            assertThat(paid.get("total").asText()).isEqualTo("8.40");
            assertThat(paid.get("customerId").asText()).isEqualTo(customer);
            assertThat(paid.path("customer").isMissingNode() || paid.get("customer").isNull()).isTrue();
            String events = api.get("/api/orders/" + second + "/events", admin).body();
            assertThat(events).doesNotContain(plaintext.get(0), plaintext.get(1), plaintext.get(2))
                    .contains("OrderPlaced");
        }
        assertThat(http.get("/api/orders/" + other, admin).body()).as("other customers keep their data")
                .contains("Bob Byron");
        assertThat(http.post("/api/orders/" + second + "/confirm", admin, "{}").status())
                .as("a forgotten customer's order still takes commands").isEqualTo(200);
        assertThat(rowsContaining(plaintext)).isEmpty();
        assertThat(logLines).isNotEmpty().noneMatch(line -> plaintext.stream().anyMatch(line::contains));

        Http.Response again = forget(customer, admin, "GDPR request 812");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("already forgotten");
        assertThat(auditOf(customer)).as("the refused second forget is not an action").hasSize(1);
    }

    @Test
    void a_tombstoned_order_is_gone_for_good_and_the_action_is_audited() {
        String id = order("tomb-" + tag, "Tom B", "tom@example.org", "3 Grave Rd");
        String kept = order("tomb-" + tag, "Tom B", "tom@example.org", "3 Grave Rd");
        String path = "/api/admin/orders/" + id + "/tombstone";
        String list = "/api/customers/tomb-" + tag + "/orders";
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(list, admin).json().get("orders").size() == 2);

        assertThat(http.post(path, server.token("tomb-" + tag, Role.CUSTOMER), "{\"reason\":\"x\"}").status())
                .isEqualTo(403);
        assertThat(http.post(path, admin, "{}").status()).isEqualTo(422);
        assertThat(http.post(path, admin, "{\"reason\":\"dup\",\"expectedVersion\":7}").status()).isEqualTo(409);
        assertThat(http.post("/api/admin/orders/no-such-" + tag + "/tombstone", admin, "{\"reason\":\"dup\"}")
                .status()).isEqualTo(404);
        assertThat(http.get("/api/orders/" + id, admin).status()).as("nothing changed so far").isEqualTo(200);

        Http.Response done = http.post(path, admin, "{\"reason\":\"duplicate import, ticket 77\"}");

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("lastVersion").asLong()).isZero();
        assertThat(done.json().at("/audit/action").asText()).isEqualTo("stream.tombstone");
        for (Http api : List.of(http, replicaHttp)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/orders/" + id, admin).status() == 410);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.get(list, admin).json()
                .get("orders")).as("the read model drops it, told by the audit entry in the log").hasSize(1)
                .allSatisfy(row -> assertThat(row.get("id").asText()).isEqualTo(kept)));
        assertThat(http.get("/api/customers/tomb-" + tag + "/history", admin).json().get("history"))
                .allSatisfy(row -> assertThat(row.get("orderId").asText()).isEqualTo(kept));
        Http.Response command = http.post("/api/orders/" + id + "/confirm", admin, "{}");
        assertThat(command.status()).as(command.body()).isEqualTo(410);
        assertThat(http.post(path, admin, "{\"reason\":\"again\"}").status()).isEqualTo(409);
        assertThat(audit()).anySatisfy(entry -> {
            assertThat(entry.get("action").asText()).isEqualTo("stream.tombstone");
            assertThat(entry.get("target").asText()).isEqualTo("order-" + id);
            assertThat(entry.get("reason").asText()).isEqualTo("duplicate import, ticket 77");
        });
        assertThat(http.get("/api/admin/audit", server.token("tomb-" + tag, Role.CUSTOMER)).status()).isEqualTo(403);
    }

    @Test
    void a_soft_deleted_order_is_hidden_on_every_replica_until_restored_and_both_actions_are_audited() {
        String customer = "soft-" + tag;
        String id = order(customer, "Sue F", "sue@example.org", "4 Soft Rd");
        String list = "/api/customers/" + customer + "/orders";
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(list, admin).json().get("orders").size() == 1);
        assertThat(replicaHttp.get("/api/orders/" + id, admin).status()).isEqualTo(200); // cached there
        String base = "/api/admin/orders/" + id;

        assertThat(http.post(base + "/restore", admin, "{\"reason\":\"x\"}").status()).as("not soft-deleted")
                .isEqualTo(409);
        assertThat(http.post(base + "/soft-delete", admin, "{\"reason\":\"x\",\"expectedVersion\":3}").status())
                .isEqualTo(409);
        Http.Response hidden = http.post(base + "/soft-delete", admin, "{\"reason\":\"chargeback review 5\"}");
        assertThat(hidden.status()).as(hidden.body()).isEqualTo(200);
        assertThat(hidden.json().at("/audit/action").asText()).isEqualTo("stream.soft-delete");
        assertThat(http.post(base + "/soft-delete", admin, "{\"reason\":\"again\"}").status()).isEqualTo(409);

        for (Http api : List.of(http, replicaHttp)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/orders/" + id, admin).status() == 410);
            assertThat(api.get("/api/orders/" + id, admin).json().get("detail").asText()).contains("restore");
        }
        assertThat(http.post("/api/orders/" + id + "/confirm", admin, "{}").status()).isEqualTo(410);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(list, admin).json().get("orders").isEmpty());
        assertThat(http.get("/api/customers/" + customer + "/history", admin).json().get("history")).isEmpty();

        Http.Response restored = http.post(base + "/restore", admin, "{\"reason\":\"review closed\"}");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        JsonNode order = http.get("/api/orders/" + id, admin).json();
        assertThat(order.get("status").asText()).isEqualTo("PENDING");
        assertThat(order.at("/customer/name").asText()).isEqualTo("Sue F");
        assertThat(http.post("/api/orders/" + id + "/confirm", admin, "{}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(list, admin).json().get("orders").size() == 1);
        assertThat(auditOf("order-" + id)).extracting(e -> e.get("action").asText())
                .containsExactly("stream.restore", "stream.soft-delete");
    }

    @Test
    void retention_runs_the_configured_policies_on_request_archives_what_it_removes_and_refuses_bad_ones()
            throws SQLException {
        String stream = "sensor-" + tag;
        try (HikariDataSource pool = TestServers.pool();
                var store = dev.eventfold.eventstore.postgres.PostgresEventStore.builder(pool).schema(schema)
                        .build()) {
            for (int i = 0; i < 5; i++) {
                store.append(stream, dev.eventfold.eventstore.ExpectedVersion.any(),
                        dev.eventfold.eventstore.EventData.of("Reading", "{\"celsius\": " + i + "}"));
            }
            String run = "/api/admin/retention/run";
            for (String bad : List.of("{\"reason\":\"x\",\"policies\":[\"category:order maxAge=P1D\"]}",
                    "{\"reason\":\"x\",\"policies\":[\"category:sensor maxAge=soon\"]}",
                    "{\"reason\":\"x\",\"policies\":[\"category:sensor\"]}", "{\"policies\":[]}")) {
                Http.Response refused = http.post(run, admin, bad);
                assertThat(refused.status()).as(bad + " -> " + refused.body()).isEqualTo(422);
            }
            assertThat(http.post(run, server.token("c", Role.CUSTOMER), "{\"reason\":\"x\"}").status())
                    .isEqualTo(403);
            assertThat(store.readStreamForward(stream)).as("nothing changed so far").hasSize(5);

            Http.Response done = http.post(run, admin, "{\"reason\":\"sensor data is kept for two readings\"}");

            assertThat(done.status()).as(done.body()).isEqualTo(200);
            JsonNode first = done.json().at("/runs/0");
            assertThat(first.get("events").asLong()).isEqualTo(3);
            assertThat(first.at("/removed/0/streamId").asText()).isEqualTo(stream);
            assertThat(first.at("/removed/0/toVersion").asLong()).isEqualTo(2);
            assertThat(first.at("/audit/action").asText()).isEqualTo("retention.run");
            assertThat(store.readStreamForward(stream)).extracting(e -> e.streamVersion()).containsExactly(3L, 4L);
            assertThat(store.archived(stream)).hasSize(3).allSatisfy(e -> assertThat(e.type()).isEqualTo("Reading"));
            try (Connection connection = pool.getConnection(); PreparedStatement who = connection.prepareStatement(
                    "SELECT DISTINCT removed_by, removal_reason FROM " + schema + ".events_archive WHERE stream_id = ?")) {
                who.setString(1, stream);
                try (ResultSet rs = who.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ops");
                    assertThat(rs.getString(2)).isEqualTo("sensor data is kept for two readings");
                }
            }
            assertThat(auditOf("category:sensor")).hasSize(1);
            Http.Response again = http.post(run, admin, "{\"reason\":\"again\"}");
            assertThat(again.json().at("/runs/0/events").asLong()).as("nothing left to remove").isZero();
            assertThat(auditOf("category:sensor")).as("a run that removed nothing is not an action").hasSize(1);
        }
        String customer = "after-retention-" + tag;
        order(customer, "Al R", "al@example.org", "5 After Rd");
        await("the read-model projection keeps going across the removal").atMost(Duration.ofSeconds(10))
                .until(() -> http.get("/api/customers/" + customer + "/orders", admin).json().get("orders").size() == 1);
    }

    /** @return every "table: row" of the server's schema whose text contains one of the strings */
    private List<String> rowsContaining(List<String> needles) throws SQLException {
        List<String> found = new ArrayList<>();
        try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement list = connection.prepareStatement("SELECT table_name FROM information_schema"
                    + ".tables WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
                list.setString(1, schema);
                try (ResultSet rs = list.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            assertThat(tables).contains("events", "snapshots", "personal_data_keys", "projection_dead_letters")
                    .anyMatch(t -> t.startsWith("order_summaries"));
            for (String table : tables) {
                try (PreparedStatement rows = connection.prepareStatement("SELECT t::text FROM " + schema + "."
                        + table + " t"); ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        String row = rs.getString(1);
                        if (needles.stream().anyMatch(row::contains)) {
                            found.add(table + ": " + row);
                        }
                    }
                }
            }
        }
        return found;
    }
}
