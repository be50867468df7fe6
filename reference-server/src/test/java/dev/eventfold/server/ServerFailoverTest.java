package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.faults.PostgresCluster;
import dev.eventfold.eventstore.postgres.faults.TcpRelay;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The whole server through a database failover: its database address is a relay that, like the DNS name of RDS
 * Multi-AZ, moves to the replica once it is promoted. The primary (synchronous replication) is killed while clients
 * create orders; every create is retried with its {@code Idempotency-Key} until answered 201. Afterwards every
 * answered order is there, every key has exactly one order, the read models (whose leader lost its lock connection
 * with the old primary) catch up on the new one, and readiness comes back. Prints how long creates were refused.
 */
class ServerFailoverTest {

    private static final String BODY = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,"
            + "\"price\":\"4.00\"}]}";

    @Test
    void the_server_follows_a_promoted_replica_and_loses_no_answered_order() throws Exception {
        Path config = Files.createTempFile("failover-config", ".json");
        Files.writeString(config, "{\"database\": {\"pool\": {\"acquire\": 3000}, \"socketTimeout\": 4000}}");
        try (PostgresCluster cluster = PostgresCluster.start(true);
                TcpRelay address = relay(cluster.primaryUrl())) {
            try (HikariDataSource primary = PostgresPool.builder(cluster.primaryUrl()).username("postgres")
                    .minIdle(0).maxSize(2).build()) {
                Migrations.run(primary, "eventstore");
            }
            Map<String, String> env = new HashMap<>(ServerTest.environment("eventstore"));
            env.putAll(Map.of("DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(address.port()),
                    "DB_USERNAME", "postgres", "CONFIG_FILE", config.toString(), "RATE_LIMIT_MAX", "1000000"));
            env.remove("DB_PASSWORD");
            try (Server server = Server.start(ServerConfig.load(env))) {
                Http http = new Http(server.port());
                String customer = server.token("failover-customer", Role.CUSTOMER);
                Map<String, String> orderOfKey = new ConcurrentHashMap<>();
                AtomicBoolean go = new AtomicBoolean(true);
                AtomicLong killedAt = new AtomicLong();
                AtomicLong firstAfter = new AtomicLong();
                AtomicLong refused = new AtomicLong();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        for (int n = 0; go.get(); n++) {
                            String key = "failover-" + client + "-" + n;
                            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                            while (true) { // the same key until answered: the create lands once
                                long started = System.nanoTime();
                                Http.Response answer = attempt(http, customer, key);
                                if (answer != null && answer.status() == 201) {
                                    orderOfKey.put(key, answer.json().get("id").asText());
                                    if (killedAt.get() != 0 && started > killedAt.get()) {
                                        firstAfter.compareAndSet(0, System.nanoTime());
                                    }
                                    break;
                                }
                                assertThat(answer == null || answer.status() == 503)
                                        .as("unanswered or 503, never another error: %s", answer == null ? null
                                                : answer.body()).isTrue();
                                assertThat(System.nanoTime()).as("answered within 90 s").isLessThan(deadline);
                                refused.incrementAndGet();
                                Thread.sleep(100);
                            }
                        }
                        return null;
                    }));
                }
                Thread.sleep(2000);
                cluster.killPrimary();
                killedAt.set(System.nanoTime());
                cluster.promoteReplica();
                URI replica = URI.create(cluster.replicaUrl().substring(5));
                address.retarget(replica.getHost(), replica.getPort()); // the DNS name moves
                await("creates resume").atMost(Duration.ofSeconds(60)).until(() -> firstAfter.get() != 0);
                Thread.sleep(1500);
                go.set(false);
                for (Future<?> each : done) {
                    each.get();
                }
                clients.shutdown();
                await("ready again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> http.get("/health/ready", null).status() == 200);

                for (Map.Entry<String, String> answered : orderOfKey.entrySet()) {
                    Http.Response order = http.get("/api/orders/" + answered.getValue(), customer);
                    assertThat(order.status()).as("answered order %s is there", answered.getKey()).isEqualTo(200);
                }
                try (HikariDataSource promoted = PostgresPool.builder(cluster.replicaUrl()).username("postgres")
                        .minIdle(0).maxSize(2).build(); Connection connection = promoted.getConnection();
                        Statement statement = connection.createStatement()) {
                    assertThat(count(statement, "SELECT count(DISTINCT stream_id) FROM eventstore.events WHERE "
                            + "event_type = 'OrderPlaced'")).as("one order per key, nothing doubled or lost")
                            .isEqualTo(orderOfKey.size());
                    await("the read models catch up on the new primary").atMost(Duration.ofSeconds(60))
                            .until(() -> count(statement, "SELECT count(*) FROM eventstore.order_summaries_v1")
                                    == orderOfKey.size());
                }
                System.out.printf("server failover: %d orders answered 201, 0 lost, 0 doubled; %d attempts refused "
                        + "(503 or no answer) and retried; creates resumed %d ms after the primary was gone "
                        + "(promotion and address move included)%n", orderOfKey.size(), refused.get(),
                        (firstAfter.get() - killedAt.get()) / 1_000_000);
            }
        } finally {
            Files.deleteIfExists(config);
        }
    }

    private static TcpRelay relay(String jdbcUrl) throws Exception {
        URI primary = URI.create(jdbcUrl.substring(5));
        return TcpRelay.start("127.0.0.1", primary.getHost(), primary.getPort());
    }

    /** @return the answer, or null when the connection failed or timed out (no answer at all) */
    private static Http.Response attempt(Http http, String token, String key) {
        try {
            return http.send("POST", "/api/orders", token, "application/json", BODY, "Idempotency-Key", key);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
