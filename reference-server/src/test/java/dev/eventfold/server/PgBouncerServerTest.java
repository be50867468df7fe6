package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventfold.eventstore.postgres.faults.PgBouncer;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two servers behind one transaction-pooling PgBouncer with {@code DB_DIRECT_HOST} (docs/postgres.md, "Behind
 * PgBouncer"): commands, snapshots and read models go through the pooler with only two server connections for both,
 * and exactly one of them leads the read models.
 */
class PgBouncerServerTest {

    private static final String BODY = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,"
            + "\"price\":\"2.50\"}]}";

    @Test
    void two_servers_work_through_transaction_pooling_and_one_leads_the_read_models() throws Exception {
        String schema = TestServers.migratedSchema("bounced");
        try (PgBouncer bouncer = PgBouncer.start("jdbc:postgresql://" + ServerTest.HOST + ":5432/postgres",
                ServerTest.USER, 2)) {
            Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
            env.put("DB_HOST", "127.0.0.1");
            env.put("DB_PORT", Integer.toString(bouncer.port()));
            env.put("DB_DIRECT_HOST", ServerTest.HOST);
            env.put("DB_DIRECT_PORT", "5432");
            try (Server a = Server.start(ServerConfig.load(env)); Server b = Server.start(ServerConfig.load(env))) {
                Http httpA = new Http(a.port());
                Http httpB = new Http(b.port());
                String admin = a.token("ops", Role.ADMIN);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    Http http = i % 2 == 0 ? httpA : httpB;
                    Http.Response created = http.post("/api/orders", admin, BODY);
                    assertThat(created.status()).as(created.body()).isEqualTo(201);
                    String id = created.json().get("id").asText();
                    ids.add(id);
                    Http.Response confirmed = (i % 2 == 0 ? httpB : httpA).send("POST", "/api/orders/" + id
                            + "/confirm", admin, "application/json", "{}", "If-Match", created.header("ETag"));
                    assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
                }
                for (String id : ids) {
                    JsonNode order = httpB.get("/api/orders/" + id, admin).json();
                    assertThat(order.get("status").asText()).isEqualTo("CONFIRMED");
                }
                await("the read models, written through the pooler").atMost(Duration.ofSeconds(30)).until(() ->
                        httpA.get("/api/orders?limit=100&status=CONFIRMED", admin).json().get("orders").size() == 30);
                List<String> states = new ArrayList<>();
                for (Http http : List.of(httpA, httpB)) {
                    for (JsonNode projection : http.get("/api/admin/projections", admin).json().get("projections")) {
                        states.add(projection.get("state").asText());
                    }
                }
                assertThat(states).as("leases on direct connections: one leader, one standby")
                        .containsExactlyInAnyOrder("RUNNING", "STANDBY");
                assertThat(httpA.get("/health/ready", null).status()).isEqualTo(200);
            }
        } finally {
            TestServers.dropSchema(schema);
        }
    }
}
