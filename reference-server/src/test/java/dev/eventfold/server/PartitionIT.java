package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.faults.NetworkNamespace;
import dev.eventfold.eventstore.postgres.faults.TcpRelay;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged server in a network namespace of its own, reaching PostgreSQL and Redis over veth links that the test
 * cuts (packets dropped silently, as in a real partition): requests fail fast with 503 and {@code Retry-After},
 * readiness turns false, nothing hangs or is half-written, and everything recovers when the link returns; a cut to
 * Redis degrades the service without failing requests. Needs root (CI runs as root).
 */
class PartitionIT {

    private static final String BODY = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,"
            + "\"price\":\"3.00\"}]}";
    /** database.socketTimeout (4 s) plus database.pool.acquire (3 s) plus a margin for a loaded 2-core machine. */
    private static final long BOUND_MILLIS = 10_000;

    private record Timed(int status, String retryAfter, long millis) {
    }

    private static Timed timedPost(Http http, String token) {
        long started = System.nanoTime();
        try {
            Http.Response response = http.post("/api/orders", token, BODY);
            return new Timed(response.status(), response.header("Retry-After"),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (java.io.UncheckedIOException e) {
            return new Timed(0, null, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Eight writes at once; each must be answered within the bound. */
    private static List<Timed> burst(Http http, String token) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Timed>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(clients.submit(() -> timedPost(http, token)));
            }
            List<Timed> answers = new ArrayList<>();
            for (Future<Timed> each : sent) {
                answers.add(each.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void a_partition_from_postgres_or_redis_fails_fast_and_heals() throws Exception {
        String schema = TestServers.migratedSchema("part");
        Path log = Files.createTempFile("partition", ".log");
        Path config = Files.createTempFile("partition-config", ".json");
        Files.writeString(config, "{\"database\": {\"pool\": {\"acquire\": 3000}, \"socketTimeout\": 4000}, "
                + "\"monitoring\": {\"healthCheck\": {\"timeout\": 2000}}}");
        Process server = null;
        Process redis = null;
        try (NetworkNamespace namespace = NetworkNamespace.create()) {
            NetworkNamespace.Link front = namespace.link();
            NetworkNamespace.Link database = namespace.link();
            NetworkNamespace.Link cache = namespace.link();
            int redisPort = TestServers.freePort();
            redis = TestServers.redis(redisPort, "--bind", "127.0.0.1", cache.hostAddress(), "--requirepass",
                    "partition-secret");
            try (TcpRelay postgres = TcpRelay.start(database.hostAddress(), ServerTest.HOST, 5432)) {
                Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
                int port = TestServers.freePort();
                env.putAll(Map.of("PORT", Integer.toString(port), "METRICS_PORT", "0", "HOST", "0.0.0.0",
                        "DB_HOST", database.hostAddress(), "DB_PORT", Integer.toString(postgres.port()),
                        "REDIS_HOST", cache.hostAddress(), "REDIS_PORT", Integer.toString(redisPort),
                        "REDIS_PASSWORD", "partition-secret", "CONFIG_FILE", config.toString(),
                        "RATE_LIMIT_MAX", "1000000"));
                server = TestServers.start(namespace.inside(TestServers.jarCommand("serve")), env, log);
                Http http = new Http(front.insideAddress(), port);
                await("the server in its namespace").atMost(Duration.ofSeconds(90)).ignoreExceptions()
                        .until(() -> http.get("/health/ready", null).status() == 200);
                String token = TestServers.jarToken(env, "cut", "customer");
                int created = 0;
                assertThat(http.post("/api/orders", token, BODY).status()).isEqualTo(201);
                created++;

                database.cut();
                List<Timed> cutOff = burst(http, token);
                long started = System.nanoTime();
                await("readiness false").atMost(Duration.ofSeconds(30))
                        .until(() -> http.get("/health/ready", null).status() == 503);
                long notReadyMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(http.get("/health/live", null).status()).as("alive: no restart wanted").isEqualTo(200);
                List<Timed> whileCut = burst(http, token);
                for (Timed answer : whileCut) {
                    assertThat(answer.status()).as("answered %s in %d ms", answer, answer.millis()).isEqualTo(503);
                    assertThat(answer.retryAfter()).isEqualTo("5");
                    assertThat(answer.millis()).isLessThan(BOUND_MILLIS);
                }
                for (Timed answer : cutOff) {
                    assertThat(answer.status()).as("in flight at the cut: %s", answer).isIn(201, 503);
                    assertThat(answer.millis()).as("in flight at the cut: %s", answer).isLessThan(BOUND_MILLIS);
                    created += answer.status() == 201 ? 1 : 0;
                }

                database.restore();
                started = System.nanoTime();
                await("readiness back").atMost(Duration.ofSeconds(60))
                        .until(() -> http.get("/health/ready", null).status() == 200);
                long recoveredMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(http.post("/api/orders", token, BODY).status()).isEqualTo(201);
                created++;

                cache.cut();
                List<Timed> withoutRedis = burst(http, token);
                for (Timed answer : withoutRedis) {
                    assertThat(answer.status()).as("Redis is not on the write path: %s", answer).isEqualTo(201);
                    assertThat(answer.millis()).isLessThan(BOUND_MILLIS);
                    created++;
                }
                await("degraded without Redis").atMost(Duration.ofSeconds(30))
                        .until(() -> "degraded".equals(http.get("/health", null).json().get("status").asText()));
                assertThat(http.get("/health/ready", null).status()).isEqualTo(200);
                cache.restore();
                await("healthy with Redis back").atMost(Duration.ofSeconds(60))
                        .until(() -> "healthy".equals(http.get("/health", null).json().get("status").asText()));

                try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                        Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT stream_id) FROM "
                                + schema + ".events WHERE stream_id LIKE 'order-%'")) {
                    rs.next();
                    assertThat(rs.getLong(2)).as("orders stored = orders answered 201").isEqualTo(created);
                    assertThat(rs.getLong(1)).as("one OrderPlaced each, none half-written").isEqualTo(created);
                }
                System.out.printf("partition: in flight at the cut %s; while cut, 8 writes answered 503 in at most "
                        + "%d ms; not ready after %d ms; ready again %d ms after the link returned; without Redis "
                        + "8 writes answered 201 in at most %d ms%n", cutOff, max(whileCut), notReadyMillis,
                        recoveredMillis, max(withoutRedis));
            }
        } finally {
            if (server != null) {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            if (redis != null) {
                redis.destroyForcibly();
            }
            System.out.println(Files.readString(log).lines().filter(line -> line.contains("WARN")
                    || line.contains("ERROR")).limit(30).reduce("", (a, b) -> a + b + "\n"));
            Files.deleteIfExists(log);
            Files.deleteIfExists(config);
            TestServers.dropSchema(schema);
        }
    }

    private static long max(List<Timed> answers) {
        return answers.stream().mapToLong(Timed::millis).max().orElse(0);
    }
}
