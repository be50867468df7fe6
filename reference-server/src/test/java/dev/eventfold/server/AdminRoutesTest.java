package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's projection routes on a real server and PostgreSQL: a read model that rejects an order's row (a
 * CHECK constraint, as a bad migration would) dead-letters its event; the operator sees the letter with the failing
 * event and the error, skips one, replays another once the cause is gone, and rebuilds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRoutesTest {

    private static final String PROJECTIONS = "/api/admin/projections";

    private final String schema = TestServers.migratedSchema("adm");
    private Server server;
    private Http http;
    private String admin;
    private String customer;
    private String name;

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(ServerTest.environment(schema)));
        http = new Http(server.port());
        admin = server.token("ops", Role.ADMIN);
        customer = server.token("poison-1", Role.CUSTOMER);
        name = server.readModels().name();
    }

    @AfterAll
    void stop() {
        server.close();
        TestServers.dropSchema(schema);
    }

    private void sql(String statement) {
        try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String order(String token, String customerId) {
        Http.Response created = http.post("/api/orders", token, "{\"customerId\":\"" + customerId + "\",\"items\":["
                + "{\"productId\":\"p-1\",\"productName\":\"Widget\",\"quantity\":1,\"price\":\"4.20\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private JsonNode letters() {
        Http.Response response = http.get(PROJECTIONS + "/" + name + "/dead-letters", admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("deadLetters");
    }

    private JsonNode status() {
        Http.Response response = http.get(PROJECTIONS, admin);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("projections").get(0);
    }

    @Test
    void dead_letters_are_shown_with_their_event_then_skipped_or_replayed_and_the_projection_rebuilt() {
        sql("ALTER TABLE " + schema + ".order_summaries_v1 ADD CONSTRAINT no_poison CHECK (customer_id NOT LIKE "
                + "'poison-%')");
        String skipped = order(customer, "poison-1");
        String replayed = order(server.token("poison-2", Role.CUSTOMER), "poison-2");
        await().atMost(Duration.ofSeconds(30)).until(() -> letters().size() == 2);
        JsonNode first = letters().get(0);
        assertThat(first.get("status").asText()).isEqualTo("PENDING");
        assertThat(first.get("eventType").asText()).isEqualTo("OrderPlaced");
        assertThat(first.get("streamId").asText()).endsWith(skipped);
        assertThat(first.get("error").asText()).contains("no_poison");
        assertThat(first.get("event").get("data").get("customerId").asText()).isEqualTo("poison-1");
        assertThat(first.get("event").get("userId").asText()).isEqualTo("poison-1");
        assertThat(status().get("pendingDeadLetters").asInt()).isEqualTo(2);
        long skipId = first.get("id").asLong();
        long replayId = letters().get(1).get("id").asLong();

        Http.Response skip = http.post(PROJECTIONS + "/" + name + "/dead-letters/" + skipId + "/skip", admin, null);
        assertThat(skip.status()).as(skip.body()).isEqualTo(200);
        assertThat(skip.json().get("status").asText()).isEqualTo("SKIPPED");
        Http.Response again = http.post(PROJECTIONS + "/" + name + "/dead-letters/" + skipId + "/replay", admin, null);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("SKIPPED");

        sql("ALTER TABLE " + schema + ".order_summaries_v1 DROP CONSTRAINT no_poison");
        Http.Response replay = http.post(PROJECTIONS + "/" + name + "/dead-letters/" + replayId + "/replay", admin,
                null);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> letters().get(1).get("status").asText()
                .equals("REPLAYED"));
        assertThat(status().get("pendingDeadLetters").asInt()).isZero();
        assertThat(http.get("/api/orders?customerId=poison-2", admin).json().get("orders")).hasSize(1);
        assertThat(http.get("/api/orders?customerId=poison-1", admin).json().get("orders"))
                .as("a skipped event stays unapplied").isEmpty();

        Http.Response rebuild = http.post(PROJECTIONS + "/" + name + "/rebuild", admin, null);
        assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/orders?customerId=poison-1", admin)
                .json().get("orders").size() == 1);
        assertThat(status().get("lagEvents").asInt()).isZero();
    }

    @Test
    void the_routes_need_an_admin_and_answer_bad_requests_with_problems() {
        assertThat(http.get(PROJECTIONS, null).status()).isEqualTo(401);
        Http.Response forbidden = http.get(PROJECTIONS, customer);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");
        assertThat(forbidden.json().get("detail").asText()).contains("admin role");
        assertThat(http.post(PROJECTIONS + "/" + name + "/rebuild", customer, null).status()).isEqualTo(403);
        assertThat(http.post(PROJECTIONS + "/" + name + "/dead-letters/replay", customer, null).status())
                .isEqualTo(403);

        Http.Response unknown = http.get(PROJECTIONS + "/nope/dead-letters", admin);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("no projection named 'nope'");
        assertThat(http.post(PROJECTIONS + "/" + name + "/dead-letters/999999/replay", admin, null).status())
                .isEqualTo(404);
        assertThat(http.post(PROJECTIONS + "/" + name + "/dead-letters/abc/replay", admin, null).status())
                .isEqualTo(422);
        Http.Response action = http.post(PROJECTIONS + "/" + name + "/dead-letters/1/explode", admin, null);
        assertThat(action.status()).isEqualTo(404);

        JsonNode overview = http.get(PROJECTIONS, admin).json();
        assertThat(overview.get("projections").get(0).get("name").asText()).isEqualTo(name);
        assertThat(overview.get("readerHorizon").has("eventsHeldBack")).isTrue();
        Http.Response replayAll = http.post(PROJECTIONS + "/" + name + "/dead-letters/replay", admin, null);
        assertThat(replayAll.status()).isEqualTo(202);
        assertThat(replayAll.json().has("replayRequested")).isTrue();
    }
}
