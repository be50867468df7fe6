package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.server.config.ServerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A spoofed {@code X-Forwarded-For} dodges no rate limit: without {@code TRUSTED_PROXIES} the header is ignored; with
 * them, only the address the trusted proxy appended counts.
 */
class ForwardedForTest {

    private static int[] statuses(Map<String, String> extra, String... forwardedFor) {
        String schema = TestServers.migratedSchema("xff");
        Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
        env.put("RATE_LIMIT_MAX", "3");
        env.putAll(extra);
        try (Server server = Server.start(ServerConfig.load(env))) {
            Http http = new Http(server.port());
            int[] statuses = new int[forwardedFor.length];
            for (int i = 0; i < forwardedFor.length; i++) {
                statuses[i] = http.send("GET", "/api/orders", null, null, null, "X-Forwarded-For", forwardedFor[i])
                        .status();
            }
            return statuses;
        } finally {
            TestServers.dropSchema(schema);
        }
    }

    @Test
    void without_trusted_proxies_a_new_forwarded_address_per_request_is_still_one_client() {
        assertThat(statuses(Map.of(), "1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"))
                .containsExactly(401, 401, 401, 429, 429);
    }

    @Test
    void behind_a_trusted_proxy_only_the_address_it_appended_counts() {
        assertThat(statuses(Map.of("TRUSTED_PROXIES", "127.0.0.1"), "6.6.6.1, 198.51.100.1",
                "6.6.6.2, 198.51.100.1", "6.6.6.3, 198.51.100.1", "6.6.6.4, 198.51.100.1", "198.51.100.2"))
                .as("spoofed entries on the left change nothing; another client has its own bucket")
                .containsExactly(401, 401, 401, 429, 401);
    }
}
