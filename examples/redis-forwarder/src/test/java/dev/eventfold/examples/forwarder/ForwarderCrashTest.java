package dev.eventfold.examples.forwarder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forwarder as a separate JVM, killed with SIGKILL in the middle of a stream of appends and started again, against
 * a real PostgreSQL and a {@code redis-server} of the test's own on a free port.
 */
class ForwarderCrashTest {

    private static final String STREAM_KEY = "eventfold:payments";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static HikariDataSource dataSource;
    private static String schema;
    private static PostgresEventStore store;
    private static Process redisServer;
    private static int redisPort;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;

    private final List<Process> forwarders = new ArrayList<>();

    @BeforeAll
    static void startPostgresStoreAndRedis() throws Exception {
        dataSource = TestDatabase.pool();
        schema = TestDatabase.newSchema(dataSource);
        store = PostgresEventStore.builder(dataSource).schema(schema).build();

        try (ServerSocket socket = new ServerSocket(0)) {
            redisPort = socket.getLocalPort();
        }
        redisServer = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(logFile("redis-server.log")).start();
        redisClient = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
        redis = await().atMost(TIMEOUT).ignoreExceptions().until(redisClient::connect, Objects::nonNull);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (redis != null) {
            redis.close();
            redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (redisServer != null) {
            redisServer.destroy();
            redisServer.waitFor(10, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
        if (dataSource != null) {
            TestDatabase.dropSchema(dataSource, schema);
            dataSource.close();
        }
    }

    @AfterEach
    void killForwarders() throws InterruptedException {
        for (Process forwarder : forwarders) {
            forwarder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void every_event_reaches_redis_at_least_once_across_a_crash() throws Exception {
        RedisCommands<String, String> commands = redis.sync();
        Process first = startForwarder("forwarder-1.log");

        // Append payments one after the other, until told to stop: before, during and after the crash.
        List<UUID> appended = new CopyOnWriteArrayList<>();
        AtomicReference<LogPosition> lastPosition = new AtomicReference<>();
        AtomicBoolean appending = new AtomicBoolean(true);
        Thread appender = new Thread(() -> {
            for (int i = 0; appending.get(); i++) {
                EventData payment = EventData.of("PaymentReceived", "{\"payment\": " + i + "}");
                AppendResult result = store.append("payment-" + i, ExpectedVersion.noStream(), payment);
                appended.add(payment.eventId());
                lastPosition.set(result.lastLogPosition());
                sleep(2);
            }
        });
        appender.start();

        await().atMost(TIMEOUT).until(() -> commands.xlen(STREAM_KEY) >= 100);
        assertThat(first.isAlive()).isTrue();
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // SIGKILL: no shutdown hook, nothing flushed
        int appendedAtCrash = appended.size();
        long forwardedBeforeCrash = settledLength(commands);

        await().atMost(TIMEOUT).until(() -> appended.size() >= appendedAtCrash + 100);   // appends go on meanwhile
        appending.set(false);
        appender.join();
        assertThat(commands.xlen(STREAM_KEY)).isEqualTo(forwardedBeforeCrash);

        startForwarder("forwarder-2.log");
        await().atMost(TIMEOUT).until(() -> eventIds(commands).containsAll(appended));

        // At least once: every appended event is in the stream, and nothing else is.
        List<UUID> inRedis = eventIds(commands);
        assertThat(new HashSet<>(inRedis)).isEqualTo(new HashSet<>(appended));
        // A duplicate can only be the event in flight at the crash: XADDed, its checkpoint not yet written. It is the
        // last entry before the crash and the first one after the restart.
        Map<UUID, List<Integer>> entriesOf = new HashMap<>();
        for (int i = 0; i < inRedis.size(); i++) {
            entriesOf.computeIfAbsent(inRedis.get(i), id -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> duplicated = entriesOf.values().stream().filter(entries -> entries.size() > 1).toList();
        assertThat(duplicated).hasSizeLessThanOrEqualTo(1);
        duplicated.forEach(entries -> assertThat(entries)
                .containsExactly((int) forwardedBeforeCrash - 1, (int) forwardedBeforeCrash));
        System.out.printf("%d events appended, %d forwarded before the crash, %d duplicate(s) in Redis%n",
                appended.size(), forwardedBeforeCrash, duplicated.size());

        // Exactly once for the consumer: every event once, in the order it was appended.
        DedupingConsumer consumer = new DedupingConsumer(commands, STREAM_KEY);
        List<UUID> consumed = new ArrayList<>();
        for (List<ForwardedEvent> page = consumer.poll(50); !page.isEmpty(); page = consumer.poll(50)) {
            page.forEach(event -> consumed.add(event.eventId()));
        }
        assertThat(consumed).containsExactlyElementsOf(appended);
        assertThat(consumer.duplicatesSkipped()).isEqualTo(duplicated.size());

        // The forwarder's checkpoint ends at the last event.
        ForwarderCheckpoint checkpoint = ForwarderCheckpoint.create(dataSource, schema, STREAM_KEY);
        await().atMost(TIMEOUT).until(checkpoint::load, lastPosition.get()::equals);
    }

    /** Starts {@link ForwarderMain} in a JVM of its own, on this test's class path; waits until it subscribed. */
    private Process startForwarder(String logName) throws Exception {
        File log = logFile(logName);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ForwarderMain.class.getName(),
                TestDatabase.JDBC_URL, TestDatabase.USER, schema, "redis://127.0.0.1:" + redisPort, STREAM_KEY)
                .redirectErrorStream(true).redirectOutput(log);
        if (TestDatabase.PASSWORD != null) {
            builder.environment().put("EVENTFOLD_DB_PASSWORD", TestDatabase.PASSWORD);
        }
        Process forwarder = builder.start();
        forwarders.add(forwarder);
        await().atMost(TIMEOUT).until(() -> {
            String output = Files.readString(log.toPath());
            if (!forwarder.isAlive()) {
                throw new AssertionError("the forwarder exited with " + forwarder.exitValue() + ":\n" + output);
            }
            return output.contains("forwarding to Redis stream");
        });
        return forwarder;
    }

    /** The stream's length once it stopped growing (a killed process's last command may still be on its way). */
    private static long settledLength(RedisCommands<String, String> commands) {
        long[] last = {-1};
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(300)).until(() -> {
            long now = commands.xlen(STREAM_KEY);
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        });
        return last[0];
    }

    private static List<UUID> eventIds(RedisCommands<String, String> commands) {
        return commands.xrange(STREAM_KEY, Range.create("-", "+")).stream()
                .map(entry -> UUID.fromString(entry.getBody().get(ForwardedEvent.EVENT_ID)))
                .toList();
    }

    private static File logFile(String name) throws Exception {
        Path directory = Files.createDirectories(Path.of("target", "forwarder-test"));
        return directory.resolve(name).toFile();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
