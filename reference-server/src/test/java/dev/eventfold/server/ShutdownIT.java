package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a real process: {@code migrate}, then {@code serve} under load, then SIGTERM. The writers stop
 * sending once they see a 503, as a load balancer stops routing to a draining replica. Every request sent gets an
 * answer (201, or 503 while draining), none is cut off, and the database holds exactly the orders that were answered
 * 201: nothing half-written, nothing acknowledged and lost.
 */
class ShutdownIT {

    @Test
    void sigterm_under_load_answers_every_request_and_writes_nothing_half() throws Exception {
        String schema = "srv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, String> env = new java.util.HashMap<>(ServerTest.environment(schema));
        int port = TestServers.freePort();
        env.put("PORT", Integer.toString(port));
        env.put("METRICS_PORT", Integer.toString(TestServers.freePort()));
        env.put("SHUTDOWN_GRACE_SECONDS", "10");
        env.put("RATE_LIMIT_MAX", "1000000");
        Path log = Files.createTempFile("server", ".log");
        try {
            Process migrate = TestServers.jar(env, log, "migrate");
            assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("migrated schema '" + schema + "'");

            Process server = TestServers.jar(env, log, "serve");
            Http http = new Http(port);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> http.get("/health/ready", null).status() == 200);
            String token = TestServers.jarToken(env, "load", "customer");
            assertThat(token).startsWith("eyJ");

            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            List<String> cutOff = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean go = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                load.submit(() -> {
                    while (go.get()) {
                        try {
                            Http.Response response = http.post("/api/orders", token, "{\"items\":[{\"productId\":"
                                    + "\"p\",\"productName\":\"n\",\"quantity\":1,\"price\":1}]}");
                            outcomes.merge(Integer.toString(response.status()), 1, Integer::sum);
                            if (response.status() == 201) {
                                created.incrementAndGet();
                            } else if (response.status() == 503) {
                                go.set(false); // as a load balancer would: stop sending to a draining replica
                            }
                        } catch (java.io.UncheckedIOException e) {
                            if (e.getCause() instanceof ConnectException) {
                                refused.incrementAndGet(); // the port is closed: the request never reached us
                                if (!server.isAlive()) {
                                    return null;
                                }
                            } else {
                                cutOff.add(String.valueOf(e.getCause()));
                            }
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1500);
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within the grace").isTrue();
            go.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            String output = Files.readString(log);
            assertThat(output).contains("shutting down").contains("reference-server stopped");
            assertThat(cutOff).as("requests cut off mid-flight").isEmpty();
            assertThat(created.get()).isPositive();
            try (HikariDataSource pool = PostgresPool.builder("jdbc:postgresql://" + ServerTest.HOST
                    + ":5432/postgres").username(ServerTest.USER).password(ServerTest.PASSWORD).minIdle(1).maxSize(2)
                    .build(); Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT stream_id) FROM "
                        + schema + ".events")) {
                    rs.next();
                    assertThat(rs.getLong(2)).as("orders stored = orders answered 201").isEqualTo(created.get());
                    assertThat(rs.getLong(1)).as("one OrderPlaced each").isEqualTo(created.get());
                }
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            System.out.printf("shutdown under load: %d created (201), outcomes %s, %d refused at the closed port, "
                    + "0 cut off%n", created.get(), outcomes, refused.get());
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
