package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-configuration path of the README's Quick start: no DB_HOST, no JWT_SECRET. The server starts an embedded
 * PostgreSQL in its data directory, generates a secret once, and keeps both across restarts.
 */
class EmbeddedModeTest {

    @TempDir
    Path dataDir;

    @Test
    void with_no_configuration_the_server_runs_on_embedded_postgres_and_keeps_data_across_restarts() {
        Map<String, String> env = Map.of("PORT", "0", "METRICS_PORT", "0", "EVENTFOLD_DATA_DIR", dataDir.toString());
        String id;
        String token;
        try (Server server = Server.start(ServerConfig.load(env))) {
            token = server.token("ada", Role.CUSTOMER);
            Http http = new Http(server.port());
            Http.Response created = http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p-1\","
                    + "\"productName\":\"Widget\",\"quantity\":1,\"price\":9.90}]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            id = created.json().get("id").asText();
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("jwt-secret")).exists();

        try (Server again = Server.start(ServerConfig.load(env))) {
            Http http = new Http(again.port());
            Http.Response read = http.get("/api/orders/" + id, token); // the old token: the secret was kept
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().get("total").asText()).isEqualTo("9.90");

            Http.Response signIn = http.post("/api/sessions/dev", null, "{\"subject\":\"newcomer\",\"role\":\"admin\"}");
            assertThat(signIn.status()).as("dev sign-in exists in the embedded dev mode").isEqualTo(201);
            String access = signIn.json().get("accessToken").asText();
            assertThat(http.get("/api/orders", access).status()).isEqualTo(200);
            assertThat(http.post("/api/sessions/dev", null, "{\"subject\":\"x\",\"role\":\"root\"}").status())
                    .isEqualTo(422);
        }
    }

    @Test
    void the_generated_secret_is_private_to_its_owner() throws Exception {
        Secrets.tokens(ServerConfig.load(Map.of("EVENTFOLD_DATA_DIR", dataDir.toString())), java.time.Clock.systemUTC());
        for (String key : java.util.List.of("jwt-secret", "jwt-refresh-secret")) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve(key))).as(key).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
    }
}
