package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.faults.PostgresCluster;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two servers reading orders from a streaming replica ({@code DB_REPLICA_HOST}) whose replay the test pauses: a
 * server reads its own writes, another server reads what a client's {@code If-None-Match} names, both from the
 * primary while the replica lags and from the replica once it has caught up; order lists come from the replica only
 * when its read models are as fresh as the primary's checkpoint; the lag and the reads are metrics.
 */
class ReplicaServerTest {

    private static final String BODY = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,"
            + "\"price\":\"4.00\"}]}";

    private static void replay(HikariDataSource replica, String function) throws Exception {
        try (Connection connection = replica.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT " + function);
        }
    }

    private static Map<String, String> environment(PostgresCluster cluster, Path config) {
        URI primary = URI.create(cluster.primaryUrl().substring(5));
        URI replica = URI.create(cluster.replicaUrl().substring(5));
        Map<String, String> env = new HashMap<>(ServerTest.environment("eventstore"));
        env.putAll(Map.of("DB_HOST", primary.getHost(), "DB_PORT", Integer.toString(primary.getPort()),
                "DB_USERNAME", "postgres", "DB_REPLICA_HOST", replica.getHost(),
                "DB_REPLICA_PORT", Integer.toString(replica.getPort()), "CONFIG_FILE", config.toString()));
        env.remove("DB_PASSWORD");
        return env;
    }

    private static long queries(Server server, String answered) {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("readmodel_queries_total\\{answered=\""
                + answered + "\"[^}]*\\} ([0-9.]+)").matcher(new Http(server.metricsPort()).get("/metrics", null)
                .body());
        return count.find() ? (long) Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void orders_are_read_from_the_replica_but_never_older_than_what_was_written_or_seen() throws Exception {
        Path config = Files.createTempFile("replica-config", ".json");
        Files.writeString(config, "{\"database\": {\"replica\": {\"maxWait\": 300}}}");
        try (PostgresCluster cluster = PostgresCluster.start(false);
                HikariDataSource primaryPool = PostgresPool.builder(cluster.primaryUrl()).username("postgres")
                        .minIdle(0).maxSize(2).build();
                HikariDataSource replicaPool = PostgresPool.builder(cluster.replicaUrl()).username("postgres")
                        .minIdle(0).maxSize(2).build()) {
            Migrations.run(primaryPool, "eventstore");
            Map<String, String> env = environment(cluster, config);
            try (Server a = Server.start(ServerConfig.load(env)); Server b = Server.start(ServerConfig.load(env))) {
                Http httpA = new Http(a.port());
                Http httpB = new Http(b.port());
                String admin = a.token("ops", Role.ADMIN);
                Http.Response created = httpA.post("/api/orders", admin, BODY);
                assertThat(created.status()).isEqualTo(201);
                String id = created.json().get("id").asText();
                await("B reads the order from the replica").atMost(Duration.ofSeconds(30))
                        .until(() -> httpB.get("/api/orders/" + id, admin).status() == 200);

                replay(replicaPool, "pg_wal_replay_pause()");
                Http.Response confirmed = httpA.send("POST", "/api/orders/" + id + "/confirm", admin, "application/json",
                        "{}", "If-Match", created.header("ETag"));
                assertThat(confirmed.status()).isEqualTo(200);
                Http.Response ownRead = httpA.get("/api/orders/" + id, admin);
                assertThat(ownRead.status()).as(ownRead.body()).isEqualTo(200);
                assertThat(ownRead.json().get("status").asText())
                        .as("A reads its own write though the replica lags").isEqualTo("CONFIRMED");
                Http.Response staleRead = httpB.get("/api/orders/" + id, admin);
                assertThat(staleRead.status()).as(staleRead.body()).isEqualTo(200);
                assertThat(staleRead.json().get("status").asText())
                        .as("B knows nothing newer: the replica's answer").isEqualTo("PENDING");
                Http.Response seen = httpB.send("GET", "/api/orders/" + id, admin, null, null, "If-None-Match",
                        confirmed.header("ETag"));
                assertThat(seen.status()).as("B, told the version the client saw, answers that version: not "
                        + "modified (a stale answer would be 200 with the older ETag)").isEqualTo(304);
                assertThat(seen.header("ETag")).isEqualTo(confirmed.header("ETag"));
                String metrics = new Http(b.metricsPort()).get("/metrics", null).body();
                assertThat(metrics).contains("eventstore_replica_lag_seconds")
                        .containsPattern("eventstore_replica_reads_total\\{answered=\"primary\",read=\"stream\""
                                + "[^}]*\\} [1-9]");

                replay(replicaPool, "pg_wal_replay_resume()");
                await("the replica caught up").atMost(Duration.ofSeconds(30)).until(() ->
                        httpB.get("/api/orders/" + id, admin).json().get("status").asText().equals("CONFIRMED"));

                // The read models: lists come from the replica once it holds what the primary's checkpoint holds.
                await("B lists the order from the replica").atMost(Duration.ofSeconds(30)).until(() ->
                        httpB.get("/api/orders", admin).body().contains(id) && queries(b, "replica") > 0);
                replay(replicaPool, "pg_wal_replay_pause()");
                Http.Response second = httpA.send("POST", "/api/orders", admin, "application/json", BODY,
                        "Prefer", "read-your-writes");
                assertThat(second.header("Preference-Applied")).isEqualTo("read-your-writes");
                long primaryBefore = queries(b, "primary");
                Http.Response list = httpB.get("/api/orders", admin);
                assertThat(list.body()).as("a list after a command that waited for the read models shows it, though "
                        + "the replica has not replayed it").contains(second.json().get("id").asText());
                assertThat(queries(b, "primary")).as("answered by the primary").isEqualTo(primaryBefore + 1);
            }
        } finally {
            Files.deleteIfExists(config);
        }
    }
}
