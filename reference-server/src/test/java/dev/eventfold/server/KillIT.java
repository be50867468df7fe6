package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The packaged server killed with SIGKILL in the middle of creates and commands (and of the read models' batches),
 * then started again: every request answered 2xx is in the store exactly once, the unanswered ones, retried with
 * their Idempotency-Key or If-Match, land exactly once, no stream is half-written, and the read models catch up to
 * the log with nothing doubled.
 */
class KillIT {

    private static final String BODY = "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":2,"
            + "\"price\":\"1.25\"}]}";

    /** What a client saw of one create and, if it got an order, of its confirm. */
    private record Outcome(String key, int created, String orderId, String etag, int confirmed) {
    }

    private static int status(Http http, Http.Response[] into, String method, String path,
            String token, String body, String... headers) {
        try {
            into[0] = http.send(method, path, token, "application/json", body, headers);
            return into[0].status();
        } catch (java.io.UncheckedIOException e) {
            return 0; // no answer: the connection was refused or cut when the process died
        }
    }

    @Test
    void sigkill_under_load_loses_no_acknowledged_write_and_retries_land_once() throws Exception {
        String schema = "kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new HashMap<>(ServerTest.environment(schema));
        int port = TestServers.freePort();
        env.put("PORT", Integer.toString(port));
        env.put("METRICS_PORT", Integer.toString(TestServers.freePort()));
        env.put("RATE_LIMIT_MAX", "1000000");
        Path log = Files.createTempFile("killed", ".log");
        Process server = null;
        try {
            Process migrate = TestServers.jar(env, log, "migrate");
            assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue()).as(Files.readString(log)).isZero();
            server = TestServers.jar(env, log, "serve");
            Http http = new Http(port);
            await("the first start").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health/ready", null).status() == 200);
            String token = TestServers.jarToken(env, "killer", "customer");

            Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
            AtomicBoolean go = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                int thread = t;
                load.submit(() -> {
                    for (int n = 0; go.get(); n++) {
                        String key = "kill-" + thread + "-" + n;
                        Http.Response[] answer = new Http.Response[1];
                        int created = status(http, answer, "POST", "/api/orders", token, BODY,
                                "Idempotency-Key", key);
                        if (created != 201) {
                            outcomes.put(key, new Outcome(key, created, null, null, -1));
                            continue;
                        }
                        String id = answer[0].json().get("id").asText();
                        String etag = answer[0].header("ETag");
                        int confirmed = n % 2 == 0 ? -1 : status(http, answer, "POST", "/api/orders/" + id
                                + "/confirm", token, "{}", "If-Match", etag);
                        outcomes.put(key, new Outcome(key, created, id, etag, confirmed));
                    }
                    return null;
                });
            }
            Thread.sleep(2500);
            server.destroyForcibly(); // SIGKILL: no drain, no shutdown hook
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            go.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            server = TestServers.jar(env, log, "serve");
            await("the restart").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health/ready", null).status() == 200);

            int unansweredCreates = 0;
            int unansweredConfirms = 0;
            Map<String, String> orderOfKey = new HashMap<>();
            Map<String, Boolean> mustBeConfirmed = new HashMap<>();
            for (Outcome outcome : outcomes.values()) {
                Http.Response retry = http.send("POST", "/api/orders", token, "application/json", BODY,
                        "Idempotency-Key", outcome.key());
                assertThat(retry.status()).as(retry.body()).isEqualTo(201);
                String id = retry.json().get("id").asText();
                orderOfKey.put(outcome.key(), id);
                if (outcome.created() == 201) {
                    assertThat(id).as("a retry of an answered create names the same order").isEqualTo(outcome.orderId());
                    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
                } else {
                    assertThat(outcome.created()).as("only no answer at all, never an error").isZero();
                    unansweredCreates++;
                }
                if (outcome.confirmed() == 200) {
                    mustBeConfirmed.put(id, true);
                } else if (outcome.confirmed() == 0) {
                    unansweredConfirms++;
                    Http.Response again = http.send("POST", "/api/orders/" + id + "/confirm", token,
                            "application/json", "{}", "If-Match", outcome.etag());
                    assertThat(again.status()).as("landed before the kill (412) or now (200): " + again.body())
                            .isIn(200, 412);
                    mustBeConfirmed.put(id, true);
                } else {
                    assertThat(outcome.confirmed()).as("confirms are answered 200 or not at all").isEqualTo(-1);
                }
            }
            assertThat(outcomes).hasSizeGreaterThan(20);

            try (HikariDataSource pool = TestServers.pool(); Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                Map<String, List<String>> streams = new HashMap<>();
                try (ResultSet rs = statement.executeQuery("SELECT stream_id, stream_version, event_type FROM "
                        + schema + ".events WHERE stream_id LIKE 'order-%' ORDER BY stream_id, stream_version")) {
                    while (rs.next()) {
                        List<String> types = streams.computeIfAbsent(rs.getString(1), s -> new ArrayList<>());
                        assertThat(rs.getLong(2)).as("versions without holes").isEqualTo(types.size());
                        types.add(rs.getString(3));
                    }
                }
                assertThat(streams).as("one order per key, every key's order stored")
                        .hasSize(outcomes.size());
                for (String id : orderOfKey.values()) {
                    List<String> types = streams.get("order-" + id);
                    assertThat(types).as(id).isNotNull();
                    assertThat(types).as(id).containsExactlyElementsOf(mustBeConfirmed.containsKey(id)
                            ? List.of("OrderPlaced", "OrderConfirmed") : List.of("OrderPlaced"));
                }
                await("the read models catch up with the log").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*), count(*) FILTER (WHERE status = "
                            + "'CONFIRMED') FROM " + schema + ".order_summaries_v1")) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(outcomes.size());
                        assertThat(rs.getLong(2)).isEqualTo(mustBeConfirmed.size());
                    }
                });
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + schema + ".order_summaries_v1 s"
                        + " JOIN " + schema + ".streams t ON t.stream_id = 'order-' || s.order_id WHERE s.version <> "
                        + "t.version")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("every summary at its stream's version").isZero();
                }
            }
            System.out.printf("kill -9 under load: %d creates (%d unanswered, retried once each), %d confirmed "
                    + "(%d unanswered, retried), 0 lost, 0 doubled%n", outcomes.size(), unansweredCreates,
                    mustBeConfirmed.size(), unansweredConfirms);
        } finally {
            if (server != null) {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
            TestServers.dropSchema(schema);
        }
    }
}
