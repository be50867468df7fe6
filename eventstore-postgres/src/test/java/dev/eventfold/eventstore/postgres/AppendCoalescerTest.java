package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.tck.LogReads;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Single-event appends of many threads at once, which {@link AppendCoalescer} sends together: nothing lost or doubled,
 * every conflict reported to its own caller, retries answered as retries, deleted streams refused, and appends
 * really shared transactions (else this class would test nothing the contract suites do not).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AppendCoalescerTest {

    private static final int THREADS = 16;

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;
    private ExecutorService threads;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(THREADS + 4);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @BeforeEach
    void newSchema() {
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterEach
    void dropSchema() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
    }

    @AfterAll
    void tearDown() {
        threads.shutdownNow();
        pool.close();
    }

    /** Runs {@code task} on every thread at once and returns their results. */
    private <R> List<R> together(IntTask<R> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<R>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(threads.submit((Callable<R>) () -> {
                start.await(30, TimeUnit.SECONDS);
                return task.run(thread);
            }));
        }
        List<R> results = new ArrayList<>();
        for (Future<R> future : futures) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    @FunctionalInterface
    private interface IntTask<R> {
        R run(int thread) throws Exception;
    }

    private long distinctTransactions() throws Exception {
        return distinctTransactions("%");
    }

    /** @return how many transactions wrote the events of the streams whose ids are {@code LIKE streams} */
    private long distinctTransactions(String streams) throws Exception {
        try (Connection connection = pool.getConnection(); java.sql.PreparedStatement statement = connection
                .prepareStatement("SELECT count(DISTINCT transaction_id) FROM " + schema
                        + ".events WHERE stream_id LIKE ?")) {
            statement.setString(1, streams);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void concurrent_single_appends_share_transactions_and_each_stream_keeps_every_event_once_in_order()
            throws Exception {
        int perThread = 60;
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger sharedAppends = new AtomicInteger();
        together(thread -> {
            for (int i = 0; i < perThread; i++) {
                // Own stream: exact versions from no stream on; never a conflict.
                ExpectedVersion own = i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(i - 1);
                AppendResult result = store.append("own-" + thread, own, EventData.of("Counted", "{\"i\":" + i + "}"));
                assertThat(result.nextExpectedVersion()).isEqualTo(i);
                // Shared stream: everyone reads the head and races for the next version; losers are told.
                long head = store.readStream("shared-" + (i % 3), ReadDirection.BACKWARD, EventStore.END, 1).stream()
                        .mapToLong(RecordedEvent::streamVersion).findFirst().orElse(-1);
                try {
                    store.append("shared-" + (i % 3), head < 0 ? ExpectedVersion.noStream()
                            : ExpectedVersion.exactly(head), EventData.of("Raced", "{}"));
                    sharedAppends.incrementAndGet();
                } catch (WrongExpectedVersionException e) {
                    conflicts.incrementAndGet();
                }
            }
            return null;
        });
        for (int thread = 0; thread < THREADS; thread++) {
            List<RecordedEvent> own = store.readStream("own-" + thread, ReadDirection.FORWARD, 0, 1000);
            assertThat(own).extracting(RecordedEvent::streamVersion)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, perThread).boxed().toList());
            for (int i = 0; i < perThread; i++) {
                assertThat(own.get(i).payload().asString()).isEqualTo("{\"i\":" + i + "}");
            }
        }
        long shared = 0;
        for (int s = 0; s < 3; s++) {
            shared += store.readStream("shared-" + s, ReadDirection.FORWARD, 0, 1000).size();
        }
        assertThat(shared).as("every acknowledged shared append, and only those").isEqualTo(sharedAppends.get());
        assertThat(sharedAppends.get() + conflicts.get()).isEqualTo(THREADS * perThread);
        List<RecordedEvent> log = LogReads.untilEmpty(store, EventFilter.all(), 500);
        assertThat(log).hasSize(THREADS * perThread + sharedAppends.get());
        assertThat(new HashSet<>(log.stream().map(RecordedEvent::eventId).toList())).hasSize(log.size());
        java.util.Map<String, Long> lastVersion = new java.util.HashMap<>();
        for (RecordedEvent event : log) {
            Long before = lastVersion.put(event.streamId(), event.streamVersion());
            assertThat(event.streamVersion()).as("%s in log order", event.streamId())
                    .isEqualTo(before == null ? 0 : before + 1);
        }
        assertThat(distinctTransactions()).as("appends sent together share a transaction").isLessThan(log.size());
    }

    /**
     * Up to {@link AppendCoalescer#ALONE_UP_TO} callers at once each append alone, in transactions of their own that
     * the database overlaps (ADR 0008): none waits for another's statement.
     */
    @Test
    void a_few_concurrent_callers_each_append_alone() throws Exception {
        int callers = AppendCoalescer.ALONE_UP_TO;
        int perCaller = 50;
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<Object>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            futures.add(threads.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                for (int i = 0; i < perCaller; i++) {
                    store.append("few-" + caller + "-" + i, ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
                }
                return null;
            }));
        }
        for (Future<Object> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        assertThat(distinctTransactions("few-%")).as("one transaction per append").isEqualTo(callers * perCaller);
    }

    /**
     * Callers whose lone append failed leave the count of callers appending as they found it: afterwards four callers
     * are still inside their lone appends at once (a barrier only they can pass together; a leaked count would queue
     * the later ones behind the first, which waits at the barrier for them).
     */
    @Test
    void failed_lone_appends_leave_no_caller_counted_and_four_still_append_alone_at_once() throws Exception {
        AppendCoalescer coalescer = new AppendCoalescer(pool, new Sql(schema));
        for (int i = 0; i < 20; i++) {
            AppendCoalescer.Request request = request("failing-" + i);
            assertThatThrownBy(() -> coalescer.append(request, () -> {
                throw new java.sql.SQLException("lost connection", "08006");
            })).isInstanceOf(java.sql.SQLException.class).hasMessage("lost connection");
            assertThatThrownBy(() -> coalescer.append(request, () -> {
                throw new IllegalStateException("bug in the caller");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(coalescer.appending()).as("callers counted as appending after they all left").isZero();
        int callers = AppendCoalescer.ALONE_UP_TO;
        CyclicBarrier allInside = new CyclicBarrier(callers);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            AppendCoalescer.Request request = request("inside-" + c);
            futures.add(threads.submit(() -> coalescer.append(request, () -> {
                try {
                    allInside.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new java.sql.SQLException("not all callers inside their lone appends at once", e);
                }
                return Optional.empty();
            }).isEmpty()));
        }
        for (Future<Boolean> future : futures) {
            assertThat(future.get(30, TimeUnit.SECONDS)).as("each went alone, inside at once").isTrue();
        }
        assertThat(distinctTransactions()).as("nothing written by a coalesced statement").isZero();
        assertThat(coalescer.appending()).isZero();
    }

    private static AppendCoalescer.Request request(String streamId) {
        // No stream expected: a coalesced statement would write it (and its caller would never reach the barrier).
        return new AppendCoalescer.Request(streamId, Sql.mode(ExpectedVersion.noStream()), -1,
                java.util.UUID.randomUUID(), "Placed", "{}", "{}");
    }

    @Test
    void retries_among_concurrent_appends_get_the_original_answer_and_write_nothing() throws Exception {
        List<EventData> originals = new ArrayList<>();
        List<AppendResult> firstAnswers = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            EventData event = EventData.of("Placed", "{\"n\":" + thread + "}");
            originals.add(event);
            firstAnswers.add(store.append("retried-" + thread, ExpectedVersion.noStream(), event));
        }
        List<AppendResult> retries = together(thread -> {
            // Half of the threads retry, the others append something new at the same moment. A retry with "any"
            // finds its stream and fails the statement it is sent with (its event id is stored): every caller of
            // that statement then appends alone.
            if (thread % 2 == 0) {
                return store.append("retried-" + thread, thread % 4 == 0 ? ExpectedVersion.any()
                        : ExpectedVersion.noStream(), originals.get(thread));
            }
            store.append("fresh-" + thread, ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
            return null;
        });
        for (int thread = 0; thread < THREADS; thread += 2) {
            assertThat(retries.get(thread)).isEqualTo(firstAnswers.get(thread));
            assertThat(store.readStream("retried-" + thread, ReadDirection.FORWARD, 0, 10)).hasSize(1);
        }
        for (int thread = 1; thread < THREADS; thread += 2) {
            assertThat(store.readStream("fresh-" + thread, ReadDirection.FORWARD, 0, 10)).hasSize(1);
        }
    }

    @Test
    void an_append_waiting_for_a_lock_held_elsewhere_does_not_hold_up_appends_to_other_streams() throws Exception {
        store.append("busy", ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
        List<Future<?>> started = new ArrayList<>();
        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            long holderPid;
            try (Statement statement = holder.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT pg_backend_pid(), pg_advisory_xact_lock(" + schema
                            + ".stream_lock_key('busy'))")) {
                rs.next();
                holderPid = rs.getLong(1);
            }
            Future<AppendResult> blocked = threads.submit(() -> store.append("busy", ExpectedVersion.exactly(0),
                    EventData.of("Changed", "{}")));
            started.add(blocked);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> blockedBy(holderPid) > 0);
            List<Future<Object>> others = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                others.add(threads.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        store.append("free-" + thread + "-" + i, ExpectedVersion.noStream(), EventData.of("Placed",
                                "{}"));
                    }
                    return null;
                }));
            }
            started.addAll(others);
            for (Future<Object> other : others) {
                other.get(30, TimeUnit.SECONDS); // a queue behind the blocked append would wait for the holder
            }
            assertThat(blocked).as("still waiting for the lock").isNotDone();
            // Once the blocked append has been in flight for the patience, the queue no longer waits for it: the
            // others are still sent together, not each alone after a wait.
            assertThat(distinctTransactions("free-%")).as("appends beside a blocked one still share transactions")
                    .isLessThan(80);
            holder.rollback();
            assertThat(blocked.get(30, TimeUnit.SECONDS).nextExpectedVersion()).isEqualTo(1);
        } finally {
            started.forEach(future -> future.cancel(true)); // none left running into the next test on failure
        }
        assertThat(LogReads.untilEmpty(store, EventFilter.all(), 500)).hasSize(2 + 80);
    }

    /** @return how many backends wait for a lock that backend {@code pid} holds */
    private long blockedBy(long pid) throws Exception {
        try (Connection connection = pool.getConnection(); java.sql.PreparedStatement statement = connection
                .prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ?::int = ANY (pg_blocking_pids(pid))")) {
            statement.setLong(1, pid);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void an_append_to_a_deleted_stream_among_others_is_refused_alone() throws Exception {
        store.append("gone", ExpectedVersion.noStream(), EventData.of("Placed", "{}"));
        store.tombstone("gone", ExpectedVersion.any());
        Set<String> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        together(thread -> {
            for (int i = 0; i < 20; i++) {
                String stream = i % 5 == 0 ? "gone" : "kept-" + thread + "-" + i;
                try {
                    store.append(stream, ExpectedVersion.any(), EventData.of("Placed", "{}"));
                } catch (StreamDeletedException e) {
                    refused.add(thread + "-" + i);
                }
            }
            return null;
        });
        assertThat(refused).hasSize(THREADS * 4);
        assertThat(LogReads.untilEmpty(store, EventFilter.all(), 500)).filteredOn(e -> e.streamId().startsWith("kept-"))
                .hasSize(THREADS * 16);
        assertThatThrownBy(() -> store.append("gone", ExpectedVersion.any(), EventData.of("Placed", "{}")))
                .isInstanceOf(StreamDeletedException.class);
    }
}
