package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 8 writers × 2,000 appends of 1 to 4 events to 64 shared streams, each in its own transaction with random pauses
 * inside it and about 5 % rollbacks, while a live subscriber and a catch-up reader (paging {@code readAll}) run.
 * Afterwards both must have seen exactly the committed events: none lost, none twice, in increasing log positions.
 */
class TortureTest {

    private static final int WRITERS = 8;
    private static final int APPENDS_PER_WRITER = 2_000;

    @Test
    @Timeout(300)
    void concurrent_writers_with_pauses_and_rollbacks_lose_and_duplicate_nothing() throws Exception {
        HikariDataSource pool = TestDatabase.pool(16);
        String schema = TestDatabase.newSchema(pool);
        long started = System.nanoTime();
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema)
                .maxPollInterval(Duration.ofMillis(200)).build()) {
            Set<UUID> committed = ConcurrentHashMap.newKeySet();
            AtomicInteger rollbacks = new AtomicInteger();
            AtomicInteger commits = new AtomicInteger();
            List<RecordedEvent> live = new CopyOnWriteArrayList<>();
            List<RecordedEvent> caughtUp = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);

            try (Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(), live::add)) {
                ExecutorService executor = Executors.newFixedThreadPool(WRITERS + 1);
                Future<?> reader = executor.submit(() -> {
                    LogPosition after = LogPosition.START;
                    while (true) {
                        boolean last = !writing.get();
                        List<RecordedEvent> page = store.readAll(after, 1000);
                        caughtUp.addAll(page);
                        if (!page.isEmpty()) {
                            after = page.get(page.size() - 1).logPosition();
                        } else if (last) {
                            return null;
                        } else {
                            LockSupport.parkNanos(5_000_000);
                        }
                    }
                });
                List<Future<?>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    long seed = 42L * (w + 1);
                    writers.add(executor.submit(() -> {
                        write(pool, schema, new Random(seed), committed, commits, rollbacks);
                        return null;
                    }));
                }
                for (Future<?> writer : writers) {
                    writer.get(240, TimeUnit.SECONDS);
                }
                long writeMillis = (System.nanoTime() - started) / 1_000_000;
                writing.set(false);
                reader.get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(60)).until(() -> live.size() >= committed.size());
                executor.shutdown();

                assertExactlyTheCommitted("live subscriber", live, committed);
                assertExactlyTheCommitted("catch-up reader", caughtUp, committed);
                assertThat(subscription.failure()).isEmpty();
                System.out.printf("torture: %d writers x %d appends in %d ms: %d commits, %d rollbacks (%.1f %%), "
                        + "%d events committed; live subscriber saw %d, catch-up reader saw %d; lost 0, "
                        + "duplicated 0%n", WRITERS, APPENDS_PER_WRITER, writeMillis, commits.get(), rollbacks.get(),
                        100.0 * rollbacks.get() / (WRITERS * APPENDS_PER_WRITER), committed.size(), live.size(),
                        caughtUp.size());
            }
        } finally {
            TestDatabase.dropSchema(pool, schema);
            pool.close();
        }
    }

    private static void write(HikariDataSource pool, String schema, Random random, Set<UUID> committed,
            AtomicInteger commits, AtomicInteger rollbacks) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                List<UUID> ids = new ArrayList<>();
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    ids.add(UUID.randomUUID());
                }
                RawAppend.append(connection, schema, "order-" + random.nextInt(64), ids, schema + "_events");
                if (random.nextInt(3) == 0) {
                    LockSupport.parkNanos(random.nextInt(500_000));
                }
                if (random.nextInt(100) < 5) {
                    connection.rollback();
                    rollbacks.incrementAndGet();
                } else {
                    connection.commit();
                    committed.addAll(ids);
                    commits.incrementAndGet();
                }
            }
        }
    }

    private static void assertExactlyTheCommitted(String who, List<RecordedEvent> seen, Set<UUID> committed) {
        List<UUID> ids = seen.stream().map(RecordedEvent::eventId).toList();
        assertThat(new HashSet<>(ids)).as("%s: distinct events equal the committed ones", who).isEqualTo(committed);
        assertThat(ids).as("%s: nothing twice", who).doesNotHaveDuplicates().hasSize(committed.size());
        assertThat(seen).extracting(RecordedEvent::logPosition).as("%s: in log order", who).isSorted();
        Map<String, Long> nextVersion = new HashMap<>();
        for (RecordedEvent event : seen) {
            long expected = nextVersion.getOrDefault(event.streamId(), 0L);
            assertThat(event.streamVersion()).as("%s: %s keeps version order in the log", who, event.streamId())
                    .isEqualTo(expected);
            nextVersion.put(event.streamId(), expected + 1);
        }
    }
}
