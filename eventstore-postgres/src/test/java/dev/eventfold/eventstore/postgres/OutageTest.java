package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.tck.LogReads;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL stopped mid-test (an embedded server of this test's own, so the shared one is untouched): calls fail with
 * {@link EventStoreUnavailableException}, and after a restart every batch is whole or absent.
 */
class OutageTest {

    private static final int BATCH = 500;

    @Test
    @Timeout(240)
    void a_stopped_database_gives_a_typed_error_and_no_partial_batch_after_restart() throws Exception {
        Path dataDirectory = Files.createTempDirectory("eventfold-outage");
        EmbeddedPostgres postgres = start(dataDirectory, 0);
        int port = postgres.getPort();
        HikariDataSource pool = PostgresPool.builder("jdbc:postgresql://127.0.0.1:" + port + "/postgres")
                .username("postgres").minIdle(0).maxSize(6).connectionTimeout(Duration.ofSeconds(1)).build();
        try {
            PostgresEventStoreMigrator.migrate(pool, "eventstore");
            PostgresEventStore store = PostgresEventStore.builder(pool).build();
            store.append("order-0", ExpectedVersion.noStream(), batch());

            ExecutorService writers = Executors.newFixedThreadPool(3);
            AtomicBoolean down = new AtomicBoolean();
            List<Future<Integer>> attempts = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                attempts.add(writers.submit(() -> {
                    int failures = 0;
                    for (int i = 0; i < 200 && !(down.get() && failures > 3); i++) {
                        try {
                            store.append("order-" + writer + "-" + i, ExpectedVersion.noStream(), batch());
                        } catch (EventStoreUnavailableException e) {
                            failures++;
                        }
                    }
                    return failures;
                }));
            }
            Thread.sleep(300);
            postgres.close();
            down.set(true);

            assertThatThrownBy(() -> store.append("order-x", ExpectedVersion.any(), EventData.of("T", "{}")))
                    .isInstanceOf(EventStoreUnavailableException.class)
                    .hasMessageStartingWith("Event store unavailable: append to stream 'order-x': ");
            assertThatThrownBy(() -> store.readAll(LogPosition.START))
                    .isInstanceOf(EventStoreUnavailableException.class);
            int failed = 0;
            for (Future<Integer> attempt : attempts) {
                failed += attempt.get(120, TimeUnit.SECONDS);
            }
            writers.shutdown();
            assertThat(failed).as("appends that failed during the outage").isPositive();

            postgres = start(dataDirectory, port);
            assertThat(postgres.getPort()).isEqualTo(port);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> store.readAll(LogPosition.START, 1) != null);
            Map<String, Integer> perStream = new HashMap<>();
            LogReads.untilEmpty(store, EventFilter.all(), store.limits().maxEventsPerRead())
                    .forEach(e -> perStream.merge(e.streamId(), 1, Integer::sum));
            assertThat(perStream).isNotEmpty();
            assertThat(perStream.values()).as("every stored batch is whole").containsOnly(BATCH);
            store.append("order-after", ExpectedVersion.noStream(), EventData.of("T", "{}"));
            store.close();
        } finally {
            pool.close();
            postgres.close();
        }
    }

    private static EmbeddedPostgres start(Path dataDirectory, int port) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    private static List<EventData> batch() {
        List<EventData> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(EventData.of("Batched", "{\"i\":" + i + "}"));
        }
        return events;
    }
}
