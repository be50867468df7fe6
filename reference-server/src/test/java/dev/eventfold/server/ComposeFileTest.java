package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml sets only variables the server reads, and wires the migration before the backend. */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** @return every variable the backend image's services set that the server does not read */
    static List<String> unknownVariables(Path compose) throws IOException {
        JsonNode services = YAML.readTree(compose.toFile()).get("services");
        List<String> unknown = new ArrayList<>();
        for (String service : List.of("backend", "migration")) {
            services.get(service).get("environment").fieldNames().forEachRemaining(name -> {
                if (!ServerConfig.VARIABLES.contains(name)) {
                    unknown.add(service + ": " + name);
                }
            });
        }
        return unknown;
    }

    @Test
    void the_backend_services_set_only_variables_the_server_reads() throws IOException {
        assertThat(unknownVariables(COMPOSE)).isEmpty();
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");
        assertThat(services.get("migration").get("command").get(0).asText()).isEqualTo("migrate");
        assertThat(services.get("backend").get("depends_on").get("migration").get("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(Path.of("..", services.get("migration").get("build").get("dockerfile").asText())).exists();
        assertThat(services.get("backend").get("read_only").asBoolean()).isTrue();
    }

    @Test
    void the_console_reaches_the_backend_the_browser_sees_and_the_backend_lets_it() throws IOException {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).get("services");
        JsonNode frontend = services.get("frontend");
        assertThat(Path.of("..", frontend.get("build").get("dockerfile").asText())).exists();
        assertThat(frontend.get("ports").get(0).asText()).isEqualTo("3000:3000");
        JsonNode env = frontend.get("environment");
        List<String> names = new ArrayList<>();
        env.fieldNames().forEachRemaining(names::add);
        String server = java.nio.file.Files.readString(Path.of("..", "frontend", "server.mjs"));
        assertThat(names).as("variables the console's server reads").allMatch(name -> server.contains("process.env."
                + name) || name.equals("NODE_ENV"));
        String published = services.get("backend").get("ports").get(0).asText().split(":")[0];
        assertThat(env.get("NEXT_PUBLIC_API_URL").asText()).isEqualTo("http://localhost:" + published);
        assertThat(env.get("NEXT_PUBLIC_WS_URL").asText()).isEqualTo("ws://localhost:" + published);
        assertThat(services.get("backend").get("environment").get("CORS_ORIGIN").asText().split(",\\s*"))
                .as("the backend accepts the console's origin").contains("http://localhost:3000");
        assertThat(frontend.get("read_only").asBoolean()).isTrue();
    }

    @Test
    void a_copy_with_a_variable_the_server_does_not_read_is_caught(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("docker-compose.yml");
        Files.writeString(broken, Files.readString(COMPOSE).replace("      DB_HOST: postgres", "      DB_HOSTNAME: postgres"));
        assertThat(unknownVariables(broken)).containsExactly("backend: DB_HOSTNAME", "migration: DB_HOSTNAME");
    }
}
