package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import dev.eventfold.server.http.Console;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The console as the server serves it outside the dev mode (a real PostgreSQL): no dev sign-in, client-side routes
 * answered with the page, hashed assets cached for good, unknown files a 404 problem; and the lists' minPosition.
 * Runs where the build carried the console (Maven builds it unless -Dconsole.skip=true).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {

    private final String schema = TestServers.migratedSchema("con");
    private Server server;
    private Http http;

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(ServerTest.environment(schema)));
        http = new Http(server.port());
    }

    @AfterAll
    void stop() {
        server.close();
        TestServers.dropSchema(schema);
    }

    @Test
    void outside_the_dev_mode_the_console_offers_no_dev_sign_in_and_the_route_does_not_exist() {
        assumeTrue(new Console(false, "test").bundled(), "the console was not built (-Dconsole.skip=true)");
        Http.Response config = http.get("/console/config.json", null);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().get("devSignIn").asBoolean()).isFalse();
        assertThat(config.json().get("apiUrl").asText()).isEmpty();
        assertThat(config.json().get("version").asText()).isEqualTo("1.2.3-test");
        assertThat(http.post("/api/sessions/dev", null, "{\"subject\":\"x\",\"role\":\"admin\"}").status())
                .isIn(404, 405);
    }

    @Test
    void client_side_routes_get_the_page_assets_are_cached_and_unknown_files_are_404_problems() {
        assumeTrue(new Console(false, "test").bundled(), "the console was not built (-Dconsole.skip=true)");
        Http.Response bare = http.get("/console", null);
        assertThat(bare.status()).isIn(301, 302);
        assertThat(bare.header("Location")).endsWith("/console/");

        Http.Response page = http.get("/console/orders/some-order", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.body()).contains("<div id=\"root\">");

        String script = page.body().replaceAll("(?s).*src=\"/console/(assets/[^\"]+\\.js)\".*", "$1");
        Http.Response asset = http.get("/console/" + script, null);
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Content-Type")).startsWith("text/javascript");
        assertThat(asset.header("Cache-Control")).contains("immutable");

        Http.Response missing = http.get("/console/assets/nope.js", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(http.get("/console/..%2F..%2Fetc%2Fpasswd", null).body()).doesNotContain("root:");
    }

    @Test
    void a_list_with_min_position_waits_for_the_read_models_and_says_whether_they_got_there() {
        String admin = server.token("ops", Role.ADMIN);
        Http.Response created = http.post("/api/orders", server.token("cat", Role.CUSTOMER), "{\"customerId\":\"cat\","
                + "\"items\":[{\"productId\":\"p-1\",\"productName\":\"Widget\",\"quantity\":1,\"price\":\"2.00\"}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String position = http.get("/api/orders/" + created.json().get("id").asText() + "/events", admin).json()
                .get("events").get(0).get("position").asText();
        Http.Response reached = http.get("/api/orders?minPosition=" + position, admin);
        assertThat(reached.status()).isEqualTo(200);
        assertThat(reached.header("Read-Model-Fresh")).isEqualTo("true");
        assertThat(reached.json().get("orders").toString()).as("the order is in the list it waited for")
                .contains(created.json().get("id").asText());
        for (String bad : List.of("yesterday", "0/0", "1/999999999")) {
            long started = System.nanoTime();
            Http.Response refused = http.get("/api/orders?minPosition=" + bad, admin);
            assertThat(refused.status()).as(bad).isEqualTo(422);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("minPosition");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not after the wait")
                    .isLessThan(Duration.ofSeconds(4));
        }
        assertThat(http.get("/api/orders", admin).header("Read-Model-Fresh")).isNull();
    }
}
