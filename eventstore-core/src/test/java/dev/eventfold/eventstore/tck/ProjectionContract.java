package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ForwardingEventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.FailurePolicy;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.ProjectionStatus;
import dev.eventfold.eventstore.projection.ProjectionStore;
import dev.eventfold.eventstore.projection.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Projection runners on a projection store: order, checkpoints, filters, read-your-writes, retries with backoff, dead
 * letters and replay, the stop policy, rebuilds under load, versions built side by side, and one leader at a time.
 *
 * @param <T> the projection store's transaction type
 */
public abstract class ProjectionContract<T> extends ContractSupport {

    /**
     * A read model that records which events were applied, per read-model version. Writes go through the projection
     * store's transaction when it has one.
     *
     * @param <T> the transaction type
     */
    public interface Ledger<T> {
        /**
         * @param context the projection context
         * @param event the event to record
         * @throws Exception if it cannot
         */
        void record(ProjectionContext<T> context, RecordedEvent event) throws Exception;

        /**
         * @param context the projection context: create or empty the version's ledger
         * @throws Exception if it cannot
         */
        void reset(ProjectionContext<T> context) throws Exception;

        /**
         * @param version a read-model version
         * @return the ids of the committed recorded events, in the order they were recorded
         */
        List<UUID> applied(int version);
    }

    /**
     * @param target a store made by the fixture
     * @return a projection store beside it (a new instance on every call, sharing the backend)
     */
    protected abstract ProjectionStore<T> projectionStoreFor(EventStore target);

    /**
     * @param target a store made by the fixture
     * @return a ledger beside it
     */
    protected abstract Ledger<T> ledgerFor(EventStore target);

    private final List<ProjectionRunner<T>> runners = new ArrayList<>();

    @AfterEach
    final void stopRunners() {
        runners.forEach(ProjectionRunner::stop);
        runners.clear();
    }

    /** Records every event; fails on events of type {@code Poison} while {@code poisoned} is set. */
    private static class LedgerProjection<T> implements Projection<T> {
        final Ledger<T> ledger;
        final EventFilter filter;
        final AtomicBoolean poisoned = new AtomicBoolean(true);

        LedgerProjection(Ledger<T> ledger, EventFilter filter) {
            this.ledger = ledger;
            this.filter = filter;
        }

        @Override
        public EventFilter filter() {
            return filter;
        }

        @Override
        public void apply(ProjectionContext<T> context, RecordedEvent event) throws Exception {
            if (event.type().equals("Poison") && poisoned.get()) {
                throw new IllegalStateException("poisoned event at version " + event.streamVersion());
            }
            ledger.record(context, event);
        }

        @Override
        public void reset(ProjectionContext<T> context) throws Exception {
            ledger.reset(context);
        }
    }

    /**
     * Buffers the events of a transaction and records them all in {@link #flush}; the flush fails while a
     * {@code Poison} event is in the buffer and {@code poisoned} is set. Counts flushes with events in them.
     */
    private static final class BufferingProjection<T> implements Projection<T> {
        final Ledger<T> ledger;
        final AtomicBoolean poisoned = new AtomicBoolean(true);
        final List<Integer> flushedSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        private final List<RecordedEvent> buffer = new ArrayList<>();
        private ProjectionContext<T> bufferedUnder;

        BufferingProjection(Ledger<T> ledger) {
            this.ledger = ledger;
        }

        @Override
        public void apply(ProjectionContext<T> context, RecordedEvent event) {
            if (bufferedUnder != context) {
                buffer.clear();
                bufferedUnder = context;
            }
            buffer.add(event);
        }

        @Override
        public void flush(ProjectionContext<T> context) throws Exception {
            if (bufferedUnder != context) {
                return;
            }
            for (RecordedEvent event : buffer) {
                if (event.type().equals("Poison") && poisoned.get()) {
                    throw new IllegalStateException("poisoned event at version " + event.streamVersion());
                }
            }
            for (RecordedEvent event : buffer) {
                ledger.record(context, event);
            }
            flushedSizes.add(buffer.size());
            buffer.clear();
        }

        @Override
        public void reset(ProjectionContext<T> context) throws Exception {
            ledger.reset(context);
        }
    }

    private ProjectionRunner.Builder<T> runner(String name, Projection<T> projection, RecordingSleeper sleeper) {
        return ProjectionRunner.builder(store, projectionStoreFor(store), name, projection).batchSize(7)
                .pollInterval(Duration.ofMillis(20)).leaseRetryInterval(Duration.ofMillis(20)).sleeper(sleeper)
                .retry(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    private ProjectionRunner<T> started(ProjectionRunner.Builder<T> builder) {
        ProjectionRunner<T> runner = builder.build();
        runners.add(runner);
        runner.start();
        return runner;
    }

    private static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    private AppendResult append(String streamId, String type) {
        return store.append(streamId, ExpectedVersion.any(), event(type));
    }

    /** Commits, but every third time loses the answer, as when the connection or the primary dies during COMMIT. */
    private static final class LostAnswers<T> extends ForwardingProjectionStore<T> {
        private final AtomicInteger commits = new AtomicInteger();

        LostAnswers(ProjectionStore<T> delegate) {
            super(delegate);
        }

        @Override
        public void commit(Lease lease, LogPosition to, Work<T> work) throws Exception {
            delegate.commit(lease, to, work);
            if (commits.incrementAndGet() % 3 == 0) {
                throw new dev.eventfold.eventstore.EventStoreUnavailableException("committing: connection reset "
                        + "before the answer", null);
            }
        }
    }

    @Test
    void a_commit_whose_answer_was_lost_is_not_applied_twice() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        for (int i = 0; i < 40; i++) {
            append(newStream("order"), "Tested");
        }
        AtomicInteger applications = new AtomicInteger();
        LedgerProjection<T> counted = new LedgerProjection<>(ledger, EventFilter.all()) {
            @Override
            public void apply(ProjectionContext<T> context, RecordedEvent event) throws Exception {
                applications.incrementAndGet();
                super.apply(context, event);
            }
        };
        ProjectionRunner<T> runner = started(ProjectionRunner.builder(store, new LostAnswers<>(projectionStoreFor(
                store)), "lost-answers", counted).batchSize(7)
                .pollInterval(Duration.ofMillis(20)).leaseRetryInterval(Duration.ofMillis(20))
                .sleeper(new RecordingSleeper()));
        AppendResult last = append(newStream("order"), "Tested");

        assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.applied(1)).as("each event once, though a third of the commits seemed to fail")
                .containsExactlyElementsOf(ids(readWholeLog(store)));
        await("the count, once the runner saw its commit had landed").atMost(Duration.ofSeconds(30))
                .until(() -> runner.status().eventsProcessed() == 41);
        assertThat(applications.get()).as("no slice applied again after its commit landed").isEqualTo(41);
    }

    @Test
    void every_event_is_applied_once_in_log_order_and_the_checkpoint_follows() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        for (int i = 0; i < 30; i++) {
            append(newStream(i % 3 == 0 ? "order" : "customer"), "Tested");
        }
        ProjectionRunner<T> runner = started(runner("ledger", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()));

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.applied(1).size() == 30);
        AppendResult live = append(newStream("order"), "Tested");
        assertThat(runner.awaitPosition(live.lastLogPosition(), Duration.ofSeconds(30))).isTrue();

        List<RecordedEvent> log = readWholeLog(store);
        assertThat(ledger.applied(1)).containsExactlyElementsOf(ids(log));
        assertThat(runner.position()).isEqualTo(log.get(log.size() - 1).logPosition());
        ProjectionStatus status = runner.status();
        assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(status.recordedState()).isEqualTo(ProjectionState.RUNNING);
        assertThat(status.activeVersion()).hasValue(1);
        assertThat(status.lagEvents()).isZero();
        assertThat(status.lag()).isZero();
        assertThat(status.eventsProcessed()).isEqualTo(31);
        assertThat(status.lastError()).isNull();
    }

    @Test
    void a_category_projection_reads_its_category_and_awaits_positions_outside_it() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String stream = newStream(i % 2 == 0 ? "order" : "customer");
            store.append(stream, ExpectedVersion.any(), event("Tested"));
            if (i % 2 == 0) {
                orders.add(store.readStreamForward(stream).get(0).eventId());
            }
        }
        ProjectionRunner<T> runner = started(runner("orders", new LedgerProjection<>(ledger,
                EventFilter.category("order")), new RecordingSleeper()));
        AppendResult customer = append(newStream("customer"), "Tested");

        assertThat(runner.awaitPosition(customer.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(runner.awaitPosition(customer.lastLogPosition(), Duration.ZERO))
                .as("without waiting too: the leader's own checkpoint is behind it, the stores say it is passed")
                .isTrue();
        assertThat(ledger.applied(1)).containsExactlyElementsOf(orders);
    }

    @Test
    void a_runner_that_has_backed_off_is_woken_by_an_append_not_by_its_next_poll() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        ProjectionRunner<T> runner = started(ProjectionRunner.builder(store, projectionStoreFor(store), "woken",
                new LedgerProjection<>(ledger, EventFilter.all())).pollInterval(Duration.ofMinutes(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.state() == ProjectionState.RUNNING);
        Thread.sleep(1_500); // idle polls after 10, 20, ... 640 ms: the next one is more than a second away
        AppendResult appended = append(newStream("order"), "Tested");

        assertThat(runner.awaitPosition(appended.lastLogPosition(), Duration.ofMillis(500)))
                .as("applied within 500 ms of the append, long before the runner's next poll").isTrue();
        assertThat(ledger.applied(1)).hasSize(readWholeLog(store).size());
    }

    /** Counts what a runner asks of its projection store: active versions, and checkpoint reads by one thread. */
    private static final class Counting<T> extends ForwardingProjectionStore<T> {
        final AtomicInteger activeVersionReads = new AtomicInteger();
        final AtomicInteger checkpointReadsByWatched = new AtomicInteger();
        volatile Thread watched;

        Counting(ProjectionStore<T> delegate) {
            super(delegate);
        }

        @Override
        public OptionalInt activeVersion(String projection) {
            activeVersionReads.incrementAndGet();
            return delegate.activeVersion(projection);
        }

        @Override
        public LogPosition checkpoint(String projection, int version) {
            if (Thread.currentThread() == watched) {
                checkpointReadsByWatched.incrementAndGet();
            }
            return delegate.checkpoint(projection, version);
        }
    }

    @Test
    void a_leading_runner_answers_a_wait_for_what_it_committed_without_reading_the_checkpoint() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        Counting<T> counting = new Counting<>(projectionStoreFor(store));
        ProjectionRunner<T> runner = started(ProjectionRunner.builder(store, counting, "own-commit",
                new LedgerProjection<>(ledger, EventFilter.all())));
        AppendResult appended = append(newStream("order"), "Tested");
        assertThat(runner.awaitPosition(appended.lastLogPosition(), Duration.ofSeconds(30))).isTrue();

        await("a wait answered from the leader's own commit, no checkpoint read").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    counting.watched = Thread.currentThread();
                    counting.checkpointReadsByWatched.set(0);
                    return runner.awaitPosition(appended.lastLogPosition(), Duration.ZERO)
                            && counting.checkpointReadsByWatched.get() == 0;
                });
    }

    @Test
    void a_runner_woken_by_every_append_asks_for_the_active_version_once_per_poll_interval() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        Counting<T> counting = new Counting<>(projectionStoreFor(store));
        ProjectionRunner<T> runner = started(ProjectionRunner.builder(store, counting, "housekeeping",
                new LedgerProjection<>(ledger, EventFilter.all())).pollInterval(Duration.ofMinutes(1)));
        AppendResult first = append(newStream("order"), "Tested");
        assertThat(runner.awaitPosition(first.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        counting.activeVersionReads.set(0);

        for (int i = 0; i < 10; i++) {
            AppendResult next = append(newStream("order"), "Tested");
            assertThat(runner.awaitPosition(next.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        }

        assertThat(counting.activeVersionReads.get())
                .as("the active version read at most once in a poll interval of a minute, not after each append")
                .isLessThanOrEqualTo(1);
        assertThat(ledger.applied(1)).hasSize(11);
    }

    /**
     * Appends a poisoned event and a good one, starts a runner with a poll interval of a minute and waits until it has
     * dead-lettered the first and applied the second.
     */
    private ProjectionRunner<T> deadLetteredOnce(String name, LedgerProjection<T> projection) {
        String stream = newStream("order");
        append(stream, "Poison");
        AppendResult after = append(stream, "Tested");
        ProjectionRunner<T> runner = started(runner(name, projection, new RecordingSleeper())
                .pollInterval(Duration.ofMinutes(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.position().equals(after.lastLogPosition()));
        assertThat(runner.deadLetters()).hasSize(1);
        return runner;
    }

    @Test
    void a_replay_asked_of_a_runner_with_a_long_poll_interval_happens_at_once() {
        Ledger<T> ledger = ledgerFor(store);
        LedgerProjection<T> projection = new LedgerProjection<>(ledger, EventFilter.all());
        ProjectionRunner<T> runner = deadLetteredOnce("replay-asked", projection);

        projection.poisoned.set(false);
        assertThat(runner.requestReplay()).isEqualTo(1);

        await("replayed long before the next poll, a minute away").atMost(Duration.ofSeconds(20))
                .until(() -> runner.deadLetters().get(0).status() == DeadLetter.Status.REPLAYED);
        assertThat(ledger.applied(1)).hasSize(2);
    }

    /** Never answers an empty page while {@code busy} is set: a log that grows between any two reads. */
    private static final class NeverIdle extends ForwardingEventStore {
        final AtomicBoolean busy = new AtomicBoolean(true);

        NeverIdle(EventStore delegate) {
            super(delegate);
        }

        @Override
        public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
            List<RecordedEvent> page = super.readAll(after, filter, maxCount);
            while (page.isEmpty() && busy.get()) {
                delegate().append("order-" + UUID.randomUUID(), ExpectedVersion.any(), event("Tested"));
                page = super.readAll(after, filter, maxCount);
            }
            return page;
        }
    }

    @Test
    void a_replay_asked_while_events_keep_arriving_is_applied() {
        LedgerProjection<T> projection = new LedgerProjection<>(ledgerFor(store), EventFilter.all());
        deadLetteredOnce("replay-busy", projection).stop();
        projection.poisoned.set(false);
        NeverIdle busy = new NeverIdle(store);
        ProjectionRunner<T> steady = started(ProjectionRunner.builder(busy, projectionStoreFor(store), "replay-busy",
                projection).batchSize(7).pollInterval(Duration.ofMinutes(1)).sleeper(new RecordingSleeper()));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> steady.state() == ProjectionState.RUNNING);
            assertThat(steady.requestReplay()).isEqualTo(1);
            await("replayed though the runner never reads an empty page").atMost(Duration.ofSeconds(20))
                    .until(() -> steady.deadLetters().get(0).status() == DeadLetter.Status.REPLAYED);
        } finally {
            busy.busy.set(false);
        }
    }

    @Test
    void awaiting_a_position_times_out_when_no_runner_gets_there() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        ProjectionRunner<T> idle = runner("idle", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()).build();
        AppendResult appended = append(newStream("order"), "Tested");

        assertThat(idle.awaitPosition(appended.lastLogPosition(), Duration.ofMillis(200))).isFalse();
        assertThat(idle.awaitPosition(LogPosition.START, Duration.ZERO)).isTrue();
        assertThat(idle.status().state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(idle.status().lagEvents()).isEqualTo(1);
    }

    @Test
    void a_failing_event_is_retried_with_backoff_then_dead_lettered_and_replayed_later() {
        Ledger<T> ledger = ledgerFor(store);
        String stream = newStream("order");
        for (int i = 0; i < 3; i++) {
            append(stream, "Tested");
        }
        append(stream, "Poison");
        for (int i = 0; i < 3; i++) {
            append(stream, "Tested");
        }
        RecordingSleeper sleeper = new RecordingSleeper();
        LedgerProjection<T> projection = new LedgerProjection<>(ledger, EventFilter.all());
        ProjectionRunner<T> runner = started(runner("poisoned", projection, sleeper).onFailure(FailurePolicy.CONTINUE));

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.applied(1).size() == 6);
        List<RecordedEvent> log = store.readStreamForward(stream);
        RecordedEvent poison = log.get(3);
        List<DeadLetter> letters = runner.deadLetters();
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.get(0);
        assertThat(letter.eventId()).isEqualTo(poison.eventId());
        assertThat(letter.position()).isEqualTo(poison.logPosition());
        assertThat(letter.streamId()).isEqualTo(stream);
        assertThat(letter.streamVersion()).isEqualTo(3);
        assertThat(letter.eventType()).isEqualTo("Poison");
        assertThat(letter.attempts()).isEqualTo(4);
        assertThat(letter.error()).isEqualTo("IllegalStateException: poisoned event at version 3");
        assertThat(letter.status()).isEqualTo(DeadLetter.Status.PENDING);
        assertThat(sleeper.waits()).as("backoff doubles from 100 ms between the 4 attempts")
                .containsSubsequence(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.position().equals(log.get(6).logPosition()));
        assertThat(ledger.applied(1)).doesNotContain(poison.eventId());
        assertThat(runner.status().pendingDeadLetters()).isEqualTo(1);
        assertThat(runner.status().state()).isEqualTo(ProjectionState.RUNNING);

        projection.poisoned.set(false);
        assertThat(runner.requestReplay()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> runner.deadLetters().get(0).status()
                == DeadLetter.Status.REPLAYED);
        assertThat(ledger.applied(1)).hasSize(7).contains(poison.eventId());
        assertThat(runner.status().pendingDeadLetters()).isZero();
        assertThat(runner.position()).isEqualTo(log.get(6).logPosition());
    }

    @Test
    void the_listener_hears_every_applied_event_failed_attempt_dead_letter_and_committed_batch() {
        Ledger<T> ledger = ledgerFor(store);
        String stream = newStream("order");
        for (int i = 0; i < 9; i++) {
            append(stream, i == 4 ? "Poison" : "Tested");
        }
        List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
        List<RecordedEvent> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        ProjectionListener listener = new ProjectionListener() {
            @Override
            public void eventApplied(String projection, int version, RecordedEvent event, Duration took) {
                heard.add("applied " + projection + " v" + version + " @" + event.streamVersion());
            }

            @Override
            public void eventFailed(String projection, int version, RecordedEvent event, int attempt,
                    String error) {
                heard.add("failed @" + event.streamVersion() + " attempt " + attempt + ": " + error);
            }

            @Override
            public void batchCommitted(String projection, int version, List<RecordedEvent> events, Duration took) {
                assertThat(took).isPositive();
                committed.addAll(events);
            }

            @Override
            public void deadLettered(String projection, int version, RecordedEvent event, String error) {
                heard.add("dead-lettered @" + event.streamVersion() + ": " + error);
            }
        };
        LedgerProjection<T> projection = new LedgerProjection<>(ledger, EventFilter.all());
        started(runner("listened", projection, new RecordingSleeper()).listener(listener)
                .onFailure(FailurePolicy.CONTINUE));

        await().atMost(Duration.ofSeconds(30)).until(() -> committed.size() == 8);
        List<RecordedEvent> log = store.readStreamForward(stream);
        assertThat(ids(committed)).as("committed batches, in log order, without the dead letter")
                .containsExactlyElementsOf(ids(log.stream().filter(e -> !e.type().equals("Poison")).toList()));
        String error = "IllegalStateException: poisoned event at version 4";
        assertThat(heard).contains("failed @4 attempt 1: " + error, "failed @4 attempt 4: " + error,
                "dead-lettered @4: " + error, "applied listened v1 @0", "applied listened v1 @8");
        assertThat(heard).filteredOn(line -> line.startsWith("failed")).hasSize(4);
        assertThat(heard).doesNotContain("applied listened v1 @4");
        assertThat(heard.indexOf("dead-lettered @4: " + error)).isGreaterThan(heard.indexOf(
                "failed @4 attempt 4: " + error));
    }

    @Test
    void one_dead_letter_is_replayed_and_another_skipped_each_by_its_id() {
        Ledger<T> ledger = ledgerFor(store);
        String stream = newStream("order");
        append(stream, "Tested");
        append(stream, "Poison");
        append(stream, "Poison");
        append(stream, "Tested");
        LedgerProjection<T> projection = new LedgerProjection<>(ledger, EventFilter.all());
        ProjectionRunner<T> runner = started(runner("sorted", projection, new RecordingSleeper())
                .onFailure(FailurePolicy.CONTINUE));
        List<RecordedEvent> log = store.readStreamForward(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.position().equals(log.get(3).logPosition()));
        List<DeadLetter> letters = runner.deadLetters();
        assertThat(letters).extracting(DeadLetter::eventId).containsExactly(log.get(1).eventId(), log.get(2).eventId());
        DeadLetter replayed = letters.get(0);
        DeadLetter skipped = letters.get(1);
        assertThat(runner.status().pendingDeadLetters()).isEqualTo(2);

        assertThat(runner.skip(skipped.id())).isTrue();
        assertThat(runner.skip(skipped.id())).as("only a pending letter can be skipped").isFalse();
        assertThat(runner.requestReplay(skipped.id())).as("a skipped letter is never replayed").isFalse();
        assertThat(runner.requestReplay(Long.MAX_VALUE)).as("an unknown id").isFalse();
        assertThat(runner.status().pendingDeadLetters()).isEqualTo(1);

        projection.poisoned.set(false);
        assertThat(runner.requestReplay(replayed.id())).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.deadLetters().get(0).status()
                == DeadLetter.Status.REPLAYED);
        assertThat(runner.deadLetters()).extracting(DeadLetter::status)
                .containsExactly(DeadLetter.Status.REPLAYED, DeadLetter.Status.SKIPPED);
        assertThat(ledger.applied(1)).contains(log.get(1).eventId()).doesNotContain(log.get(2).eventId());
        assertThat(runner.status().pendingDeadLetters()).isZero();
        assertThat(runner.requestReplay()).as("replay-all leaves skipped letters alone").isZero();
    }

    @Test
    void a_buffering_projection_writes_each_batch_in_its_flush_in_the_batch_transaction() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        for (int i = 0; i < 20; i++) {
            append(newStream("order"), "Tested");
        }
        BufferingProjection<T> projection = new BufferingProjection<>(ledger);
        ProjectionRunner<T> runner = started(runner("buffered", projection, new RecordingSleeper()));

        List<RecordedEvent> log = readWholeLog(store);
        assertThat(runner.awaitPosition(log.get(log.size() - 1).logPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.applied(1)).containsExactlyElementsOf(ids(log));
        assertThat(projection.flushedSizes).as("one flush per batch of 7 (the runner's batch size)")
                .startsWith(7, 7).allMatch(size -> size <= 7);
    }

    @Test
    void a_failing_flush_is_narrowed_down_to_its_event_which_is_dead_lettered_and_replayed() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        String stream = newStream("order");
        for (int i = 0; i < 3; i++) {
            append(stream, "Tested");
        }
        append(stream, "Poison");
        for (int i = 0; i < 2; i++) {
            append(stream, "Tested");
        }
        BufferingProjection<T> projection = new BufferingProjection<>(ledger);
        ProjectionRunner<T> runner = started(runner("flushing", projection, new RecordingSleeper())
                .onFailure(FailurePolicy.CONTINUE));

        List<RecordedEvent> log = store.readStreamForward(stream);
        RecordedEvent poison = log.get(3);
        assertThat(runner.awaitPosition(log.get(5).logPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.applied(1)).as("every event but the poisoned one, in order, each once")
                .containsExactlyElementsOf(ids(List.of(log.get(0), log.get(1), log.get(2), log.get(4), log.get(5))));
        List<DeadLetter> letters = runner.deadLetters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).eventId()).isEqualTo(poison.eventId());
        assertThat(letters.get(0).attempts()).isEqualTo(4);
        assertThat(letters.get(0).error()).isEqualTo("IllegalStateException: poisoned event at version 3");

        projection.poisoned.set(false);
        assertThat(runner.requestReplay()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.deadLetters().get(0).status()
                == DeadLetter.Status.REPLAYED);
        assertThat(ledger.applied(1)).hasSize(6).contains(poison.eventId());
    }

    @Test
    void the_stop_policy_stops_in_front_of_the_failing_event() {
        Ledger<T> ledger = ledgerFor(store);
        String stream = newStream("order");
        append(stream, "Tested");
        append(stream, "Tested");
        append(stream, "Poison");
        append(stream, "Tested");
        ProjectionRunner<T> runner = started(runner("stopper", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()).onFailure(FailurePolicy.STOP));

        await().atMost(Duration.ofSeconds(30)).until(() -> !runner.isRunning());
        List<RecordedEvent> log = store.readStreamForward(stream);
        ProjectionStatus status = runner.status();
        assertThat(status.state()).isEqualTo(ProjectionState.FAILED);
        assertThat(status.recordedState()).isEqualTo(ProjectionState.FAILED);
        assertThat(status.lastError()).isEqualTo("IllegalStateException: poisoned event at version 2");
        assertThat(status.position()).isEqualTo(log.get(1).logPosition());
        assertThat(status.lagEvents()).isEqualTo(2);
        assertThat(ledger.applied(1)).containsExactlyElementsOf(ids(log.subList(0, 2)));
        assertThat(runner.deadLetters()).isEmpty();
    }

    @Test
    void a_rebuild_while_events_keep_arriving_loses_nothing_and_duplicates_nothing() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        ProjectionRunner<T> runner = started(runner("rebuilt", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()));
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                append(newStream("order"), "Tested");
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.applied(1).size() >= 40);
        runner.rebuild();
        writer.join(60_000);
        AppendResult last = append(newStream("order"), "Tested");

        assertThat(runner.awaitPosition(last.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.status().state() == ProjectionState.RUNNING);
        assertThat(ledger.applied(1)).containsExactlyElementsOf(ids(readWholeLog(store)));
        assertThat(runner.deadLetters()).isEmpty();
    }

    @Test
    void a_new_version_is_built_beside_the_live_one_and_takes_over_when_caught_up() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        for (int i = 0; i < 20; i++) {
            append(newStream("order"), "Tested");
        }
        ProjectionRunner<T> v1 = started(runner("summary", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()));
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.applied(1).size() == 20);
        assertThat(v1.status().activeVersion()).hasValue(1);

        ProjectionRunner<T> v2 = started(runner("summary", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()).version(2));

        await().atMost(Duration.ofSeconds(30)).until(() -> v2.status().activeVersion().orElse(0) == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> !v1.isRunning());
        assertThat(v1.status().state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(ledger.applied(1)).as("the old version's read model was left alone").hasSize(20);
        AppendResult after = append(newStream("order"), "Tested");
        assertThat(v2.awaitPosition(after.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.applied(2)).containsExactlyElementsOf(ids(readWholeLog(store)));
        assertThat(v2.status().state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(ledger.applied(1)).hasSize(20);
    }

    @Test
    void one_runner_leads_and_a_standby_takes_over_when_it_stops() throws Exception {
        Ledger<T> ledger = ledgerFor(store);
        ProjectionRunner<T> first = started(runner("shared", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.status().state() == ProjectionState.RUNNING);
        ProjectionRunner<T> second = started(runner("shared", new LedgerProjection<>(ledger, EventFilter.all()),
                new RecordingSleeper()));
        for (int i = 0; i < 10; i++) {
            append(newStream("order"), "Tested");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.applied(1).size() == 10);
        assertThat(second.status().state()).isEqualTo(ProjectionState.STANDBY);

        first.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.status().state() == ProjectionState.RUNNING);
        AppendResult after = append(newStream("order"), "Tested");

        assertThat(second.awaitPosition(after.lastLogPosition(), Duration.ofSeconds(30))).isTrue();
        assertThat(ledger.applied(1)).containsExactlyElementsOf(ids(readWholeLog(store)));
    }
}
