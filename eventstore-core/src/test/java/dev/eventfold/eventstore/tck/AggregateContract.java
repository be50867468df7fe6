package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.AggregateState;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import dev.eventfold.eventstore.tck.Accounts.Account;
import dev.eventfold.eventstore.tck.Accounts.Close;
import dev.eventfold.eventstore.tck.Accounts.Command;
import dev.eventfold.eventstore.tck.Accounts.Deposit;
import dev.eventfold.eventstore.tck.Accounts.Deposited;
import dev.eventfold.eventstore.tck.Accounts.Event;
import dev.eventfold.eventstore.tck.Accounts.Open;
import dev.eventfold.eventstore.tck.Accounts.Withdraw;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The aggregate repository on a store: commands, conflicts and retries, the caller's precondition, snapshots, the
 * cache, point-in-time loads. Every behavioural test runs in four configurations (cache on/off × snapshots on/off),
 * since neither may change what a command does.
 */
public abstract class AggregateContract extends ContractSupport {

    /** The configurations every behavioural test runs in. */
    public enum Config {
        /** No cache, no snapshots. */
        PLAIN(false, false),
        /** Cache only. */
        CACHE(true, false),
        /** Snapshots every 3 events only. */
        SNAPSHOTS(false, true),
        /** Both. */
        CACHE_AND_SNAPSHOTS(true, true);

        final boolean cache;
        final boolean snapshots;

        Config(boolean cache, boolean snapshots) {
            this.cache = cache;
            this.snapshots = snapshots;
        }
    }

    private static final StateCodec<Account> CODEC = StateCodec.jackson(Account.class, 1);

    /**
     * @param target a store made by the fixture
     * @return an empty snapshot store that lives beside it
     */
    protected abstract SnapshotStore snapshotStoreFor(EventStore target);

    private final List<AggregateRepository<?, ?, ?>> repositories = new ArrayList<>();
    private SnapshotStore snapshotStore;

    /** @return the test's snapshot store, beside its event store (one per test) */
    private SnapshotStore snapshots() {
        if (snapshotStore == null) {
            snapshotStore = snapshotStoreFor(store);
        }
        return snapshotStore;
    }

    private AggregateRepository<Command, Account, Event> repository(Config config, SnapshotStore snapshots) {
        return repository(config, snapshots, Accounts.DECIDER, 3, new AggregateListener() {
        });
    }

    private AggregateRepository<Command, Account, Event> repository(Config config, SnapshotStore snapshots,
            Decider<Command, Account, Event> decider, int maxAttempts, AggregateListener listener) {
        AggregateRepository.Builder<Command, Account, Event> builder = AggregateRepository
                .builder(store, decider, Accounts.EVENT_TYPES).category("account").maxAttempts(maxAttempts)
                .listener(listener).pageSize(4);
        if (config.cache) {
            builder.cache(100);
        }
        if (config.snapshots) {
            builder.snapshots(snapshots, CODEC, SnapshotPolicy.everyNEvents(3));
        }
        AggregateRepository<Command, Account, Event> repository = builder.build();
        repositories.add(repository);
        return repository;
    }

    @org.junit.jupiter.api.AfterEach
    final void closeRepositories() {
        repositories.forEach(AggregateRepository::close);
        repositories.clear();
        snapshotStore = null;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static Deposit deposit(String amount) {
        return new Deposit(new BigDecimal(amount));
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_command_on_a_new_aggregate_creates_its_stream(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();

        CommandResult<Account, Event> result = accounts.handle(id, new Open("ada"));

        assertThat(result.streamId()).isEqualTo("account-" + id);
        assertThat(result.version()).isZero();
        assertThat(result.events()).containsExactly(new Accounts.Opened("ada"));
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.logPosition()).isPresent();
        List<RecordedEvent> stored = store.readStreamForward("account-" + id);
        assertThat(stored).extracting(RecordedEvent::type).containsExactly("AccountOpened");
        assertThat(stored.get(0).metadata().headers()).containsEntry("schemaVersion", "1");
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void state_is_the_fold_of_all_events_across_pages_and_snapshots(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));
        for (int i = 1; i <= 20; i++) {
            accounts.handle(id, deposit(i + ".25"));
        }
        accounts.handle(id, new Withdraw(new BigDecimal("0.50")));

        var fresh = repository(config, snapshots());
        AggregateState<Account> loaded = fresh.load(id);

        // 1 + 2 + … + 20 = 210, plus 20 × 0.25, minus 0.50
        assertThat(loaded.state()).isEqualTo(new Account("ada", new BigDecimal("214.50"), true, 21));
        assertThat(loaded.version()).isEqualTo(21);
        assertThat(accounts.load(id)).isEqualTo(loaded);
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_rejected_command_appends_nothing(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("5.00"));

        assertThatThrownBy(() -> accounts.handle(id, new Withdraw(new BigDecimal("5.01"))))
                .isInstanceOf(Accounts.Rejected.class).hasMessage("insufficient funds");
        assertThat(store.streamVersion("account-" + id)).isEqualTo(1);
        assertThatThrownBy(() -> accounts.handle(newId(), deposit("1")))
                .isInstanceOf(Accounts.Rejected.class).hasMessage("account is not open");
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_command_that_decides_nothing_appends_nothing(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));

        CommandResult<Account, Event> again = accounts.handle(id, new Open("bob"));

        assertThat(again.appended()).isFalse();
        assertThat(again.logPosition()).isEmpty();
        assertThat(again.version()).isZero();
        assertThat(again.state().owner()).isEqualTo("ada");
        assertThat(store.readStreamForward("account-" + id)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void the_callers_expected_version_is_checked_and_never_retried_around(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("1"));

        assertThatThrownBy(() -> accounts.handle(id, deposit("2"), ExpectedVersion.exactly(0), Metadata.empty()))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo("account-" + id);
                    assertThat(e.actual()).isEqualTo(1);
                });
        assertThat(store.streamVersion("account-" + id)).isEqualTo(1);

        CommandResult<Account, Event> ok = accounts.handle(id, deposit("2"), ExpectedVersion.exactly(1),
                Metadata.empty().withCorrelationId("req-7"));
        assertThat(ok.version()).isEqualTo(2);
        assertThat(store.readStreamBackward("account-" + id).get(0).metadata().correlationId()).isEqualTo("req-7");
    }

    /** A decider during whose first withdrawal another process deposits 100, between the load and the append. */
    private Decider<Command, Account, Event> depositsOnceBeforeAWithdrawal(String id) {
        AtomicBoolean interfered = new AtomicBoolean();
        return Decider.of(Accounts.DECIDER::initialState, Accounts.DECIDER::evolve, (command, state) -> {
            if (command instanceof Withdraw && interfered.compareAndSet(false, true)) {
                store.append("account-" + id, ExpectedVersion.any(), Accounts.EVENT_TYPES.toEventData(
                        new Deposited(new BigDecimal("100")), Metadata.empty()));
            }
            return Accounts.DECIDER.decide(command, state);
        });
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_writer_that_gets_in_between_causes_a_retry_on_fresh_state(Config config) {
        String id = newId();
        Decider<Command, Account, Event> interfering = depositsOnceBeforeAWithdrawal(id);
        List<Integer> conflicts = new CopyOnWriteArrayList<>();
        var accounts = repository(config, snapshots(), interfering, 3, new AggregateListener() {
            @Override
            public void conflict(String streamId, int attempt) {
                conflicts.add(attempt);
            }
        });
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("10"));

        CommandResult<Account, Event> result = accounts.handle(id, new Withdraw(new BigDecimal("5")));

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(conflicts).containsExactly(1);
        assertThat(result.state().balance()).as("decided again on the state with the other deposit")
                .isEqualByComparingTo("105");
        assertThat(result.version()).isEqualTo(3);
        assertThat(accounts.stats().conflicts()).isEqualTo(1);
        assertThat(repository(config, snapshots()).load(id).state().balance()).isEqualByComparingTo("105");
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_command_made_from_the_state_sees_each_attempts_state_and_may_reject(Config config) {
        String id = newId();
        Decider<Command, Account, Event> interfering = depositsOnceBeforeAWithdrawal(id);
        var accounts = repository(config, snapshots(), interfering, 3, new AggregateListener() {
        });
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("10"));
        List<BigDecimal> seen = new CopyOnWriteArrayList<>();

        // Withdraw half of the balance: the command depends on the state, and is made again after the conflict.
        CommandResult<Account, Event> result = accounts.handleOn(id, state -> {
            seen.add(state.balance());
            return new Withdraw(state.balance().divide(new BigDecimal("2")));
        }, ExpectedVersion.any(), Metadata.empty());

        assertThat(result.attempts()).isEqualTo(2);
        assertThat(seen).extracting(BigDecimal::toPlainString).containsExactly("10", "110");
        assertThat(result.state().balance()).isEqualByComparingTo("55");
        long before = store.streamVersion("account-" + id);
        assertThatThrownBy(() -> accounts.handleOn(id, state -> {
            throw new IllegalStateException("not your account, " + state.owner());
        }, ExpectedVersion.any(), Metadata.empty())).hasMessage("not your account, ada");
        assertThat(store.streamVersion("account-" + id)).as("a rejection appends nothing").isEqualTo(before);
        assertThatThrownBy(() -> accounts.handleOn(id, state -> {
            throw new IllegalStateException("not yours");
        }, ExpectedVersion.exactly(999), Metadata.empty())).as("the command's own check runs before the precondition")
                .hasMessage("not yours");
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void the_last_conflict_surfaces_after_max_attempts_and_nothing_is_written(Config config) {
        String id = newId();
        Decider<Command, Account, Event> alwaysInterfered = Decider.of(Accounts.DECIDER::initialState,
                Accounts.DECIDER::evolve, (command, state) -> {
                    if (command instanceof Withdraw) {
                        store.append("account-" + id, ExpectedVersion.any(), Accounts.EVENT_TYPES
                                .toEventData(new Deposited(BigDecimal.ONE), Metadata.empty()));
                    }
                    return Accounts.DECIDER.decide(command, state);
                });
        var accounts = repository(config, snapshots(), alwaysInterfered, 2, new AggregateListener() {
        });
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("10"));

        assertThatThrownBy(() -> accounts.handle(id, new Withdraw(BigDecimal.ONE)))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.readStreamForward("account-" + id)).extracting(RecordedEvent::type)
                .containsExactly("AccountOpened", "MoneyDeposited", "MoneyDeposited", "MoneyDeposited");
        assertThat(accounts.stats().conflicts()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void evict_if_drops_exactly_the_matching_cached_states(Config config) {
        var accounts = repository(config, snapshots());
        String ada = newId();
        String bob = newId();
        accounts.handle(ada, new Open("ada"));
        accounts.handle(bob, new Open("bob"));
        accounts.load(ada);
        accounts.load(bob);
        long missesBefore = accounts.stats().cacheMisses();

        int dropped = accounts.evictIf(account -> account.owner().equals("ada"));

        assertThat(dropped).isEqualTo(config.cache ? 1 : 0);
        assertThat(accounts.load(ada).state().owner()).isEqualTo("ada");
        assertThat(accounts.load(bob).state().owner()).isEqualTo("bob");
        assertThat(accounts.stats().cacheMisses() - missesBefore).as("only ada's state was reloaded")
                .isEqualTo(config.cache ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void a_load_never_answers_a_state_another_process_has_moved_past(Config config) {
        var reader = repository(config, snapshots());
        var writer = repository(config, snapshots());
        String id = newId();
        reader.handle(id, new Open("ada"));
        assertThat(reader.load(id).version()).isZero();
        for (int i = 0; i < 5; i++) {
            writer.handle(id, deposit("2"));
        }

        AggregateState<Account> loaded = reader.load(id);

        assertThat(loaded.version()).as("the reader's cached state caught up with the other writer").isEqualTo(5);
        assertThat(loaded.state().balance()).isEqualByComparingTo("10");
        assertThat(reader.load(id).version()).isEqualTo(5);
        assertThat(reader.handle(id, new Withdraw(BigDecimal.TEN)).version())
                .as("a command on the caught-up state needs no retry").isEqualTo(6);
        assertThat(reader.stats().conflicts()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void two_handlers_sharing_the_store_but_not_the_cache_never_lose_an_update(Config config) throws Exception {
        SnapshotStore snapshots = snapshots();
        var first = repository(config, snapshots);
        var second = repository(config, snapshots);
        String id = newId();
        first.handle(id, new Open("ada"));
        first.handle(id, deposit("10"));
        second.handle(id, deposit("5"));          // first's cache (if any) is now stale
        assertThatThrownBy(() -> first.handle(id, new Withdraw(new BigDecimal("15.01"))))
                .isInstanceOf(Accounts.Rejected.class);
        assertThat(first.handle(id, new Withdraw(new BigDecimal("15"))).state().balance())
                .as("a stale cache never rejects what the stored state allows").isEqualByComparingTo("0");
        first.handle(id, deposit("3"));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger surfaced = new AtomicInteger();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                var repository = t % 2 == 0 ? first : second;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try {
                            repository.handle(id, deposit("1"));
                            succeeded.incrementAndGet();
                        } catch (WrongExpectedVersionException conflict) {
                            surfaced.incrementAndGet(); // reported to the caller, not lost
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : work) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // 40 deposits of 1: each either succeeded exactly once or was reported as a conflict. None lost, none doubled.
        assertThat(succeeded.get() + surfaced.get()).isEqualTo(40);
        assertThat(succeeded.get()).isPositive();
        assertThat(repository(Config.PLAIN, snapshots).load(id).state().balance())
                .isEqualByComparingTo(Integer.toString(3 + succeeded.get()));
        assertThat(store.streamVersion("account-" + id)).isEqualTo(4 + succeeded.get());
    }

    @Test
    void snapshots_are_written_after_appends_and_used_by_later_loads() {
        SnapshotStore snapshots = snapshots();
        // With the cache the repository knows its last snapshot version without reading the snapshot store.
        var accounts = repository(Config.CACHE_AND_SNAPSHOTS, snapshots);
        String id = newId();
        accounts.handle(id, new Open("ada"));
        for (int i = 0; i < 9; i++) {
            accounts.handle(id, deposit("1"));
        }
        // versions 0..9; every 3 events: snapshots due at versions 2, 5, 8
        await().atMost(Duration.ofSeconds(10))
                .until(() -> snapshots.latest("account-" + id).map(Snapshot::streamVersion).orElse(-1L) == 8);
        assertThat(accounts.stats().snapshotsWritten()).isEqualTo(3);
        Snapshot latest = snapshots.latest("account-" + id).orElseThrow();
        assertThat(latest.schemaVersion()).isEqualTo(1);
        assertThat(CODEC.deserialize(latest.state())).isEqualTo(new Account("ada", new BigDecimal("8"), true, 8));

        List<Integer> replayed = new ArrayList<>();
        List<Boolean> usedSnapshot = new ArrayList<>();
        var fresh = repository(Config.SNAPSHOTS, snapshots, Accounts.DECIDER, 3, new AggregateListener() {
            @Override
            public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
                replayed.add(eventsReplayed);
                usedSnapshot.add(fromSnapshot);
            }
        });
        assertThat(fresh.load(id).state()).isEqualTo(new Account("ada", new BigDecimal("9"), true, 9));
        assertThat(replayed).containsExactly(1);
        assertThat(usedSnapshot).containsExactly(true);
    }

    @Test
    void a_snapshot_of_another_schema_version_is_ignored_and_counted() {
        SnapshotStore snapshots = snapshots();
        String id = newId();
        var writer = repository(Config.PLAIN, snapshots);
        writer.handle(id, new Open("ada"));
        writer.handle(id, deposit("7"));
        snapshots.save(new Snapshot("account-" + id, 1, 2,
                Payload.ofJson("{\"owner\":\"mallory\",\"balance\":1000000,\"open\":true,\"transactions\":1}"),
                Instant.now()));

        var reader = repository(Config.SNAPSHOTS, snapshots);
        assertThat(reader.load(id).state()).isEqualTo(new Account("ada", new BigDecimal("7"), true, 1));
        assertThat(reader.stats().snapshotsIgnored()).isEqualTo(1);
        assertThat(reader.stats().eventsReplayed()).isEqualTo(2);
    }

    @Test
    void an_unreadable_snapshot_is_ignored_and_counted() {
        SnapshotStore snapshots = snapshots();
        String id = newId();
        var writer = repository(Config.PLAIN, snapshots);
        writer.handle(id, new Open("ada"));
        snapshots.save(new Snapshot("account-" + id, 0, 1, Payload.ofJson("{\"balance\":\"lots\"}"), Instant.now()));

        var reader = repository(Config.SNAPSHOTS, snapshots);
        assertThat(reader.load(id).state()).isEqualTo(new Account("ada", BigDecimal.ZERO, true, 0));
        assertThat(reader.stats().snapshotsIgnored()).isEqualTo(1);
    }

    /** A snapshot store whose lookups fail with {@code error}. */
    private static SnapshotStore lookupsFail(RuntimeException error) {
        return new SnapshotStore() {
            @Override
            public Optional<Snapshot> latest(String streamId) {
                throw error;
            }

            @Override
            public boolean save(Snapshot snapshot) {
                return true;
            }

            @Override
            public void delete(String streamId) {
            }
        };
    }

    @Test
    void an_unreachable_snapshot_store_fails_the_load_and_a_broken_one_is_replayed_around() {
        String id = newId();
        repository(Config.PLAIN, snapshots()).handle(id, new Open("ada"));

        var unreachable = repository(Config.SNAPSHOTS, lookupsFail(
                new dev.eventfold.eventstore.EventStoreUnavailableException("snapshots: connection refused", null)));
        assertThatThrownBy(() -> unreachable.load(id))
                .as("no second wait on a database in trouble").isInstanceOf(
                        dev.eventfold.eventstore.EventStoreUnavailableException.class);

        var broken = repository(Config.SNAPSHOTS, lookupsFail(new IllegalStateException("corrupt index")));
        assertThat(broken.load(id).state().owner()).isEqualTo("ada");
    }

    @Test
    void a_failing_snapshot_store_never_fails_or_undoes_the_append() {
        SnapshotStore broken = new SnapshotStore() {
            @Override
            public Optional<Snapshot> latest(String streamId) {
                return Optional.empty();
            }

            @Override
            public boolean save(Snapshot snapshot) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public void delete(String streamId) {
            }
        };
        List<Long> failedAt = new CopyOnWriteArrayList<>();
        var accounts = repository(Config.SNAPSHOTS, broken, Accounts.DECIDER, 3, new AggregateListener() {
            @Override
            public void snapshotFailed(String streamId, long version, Throwable error) {
                failedAt.add(version);
            }
        });
        String id = newId();
        accounts.handle(id, new Open("ada"));
        accounts.handle(id, deposit("1"));
        CommandResult<Account, Event> third = accounts.handle(id, deposit("2"));

        assertThat(third.version()).isEqualTo(2);
        assertThat(store.streamVersion("account-" + id)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> failedAt.contains(2L));
        assertThat(accounts.stats().snapshotsFailed()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Config.class)
    void past_states_load_at_a_version_and_at_a_time(Config config) {
        var accounts = repository(config, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));
        for (int i = 1; i <= 7; i++) {
            accounts.handle(id, deposit(Integer.toString(i)));
        }
        accounts.handle(id, new Close());

        assertThat(accounts.loadAtVersion(id, 0)).map(AggregateState::state)
                .contains(new Account("ada", BigDecimal.ZERO, true, 0));
        assertThat(accounts.loadAtVersion(id, 4).orElseThrow().state().balance()).isEqualByComparingTo("10");
        assertThat(accounts.loadAtVersion(id, 7).orElseThrow().state().balance()).isEqualByComparingTo("28");
        assertThat(accounts.loadAtVersion(id, 9).orElseThrow().state().open()).isFalse();
        assertThat(accounts.loadAtVersion(id, 10)).isEmpty();
        assertThat(accounts.loadAtVersion(newId(), 0)).isEmpty();

        List<RecordedEvent> stored = store.readStreamForward("account-" + id);
        for (RecordedEvent event : stored) {
            long expectedVersion = stored.stream().filter(e -> !e.recordedAt().isAfter(event.recordedAt()))
                    .mapToLong(RecordedEvent::streamVersion).max().orElseThrow();
            AggregateState<Account> then = accounts.loadAsOf(id, event.recordedAt()).orElseThrow();
            assertThat(then.version()).isEqualTo(expectedVersion);
            assertThat(then).isEqualTo(accounts.loadAtVersion(id, expectedVersion).orElseThrow());
        }
        assertThat(accounts.loadAsOf(id, stored.get(0).recordedAt().minusMillis(1))).isEmpty();
    }

    @Test
    void events_the_registry_cannot_read_fail_loudly_naming_the_event() {
        var accounts = repository(Config.PLAIN, snapshots());
        String id = newId();
        accounts.handle(id, new Open("ada"));
        store.append("account-" + id, ExpectedVersion.exactly(0), EventData.of("InterestPaid", "{\"amount\":1}"));

        assertThatThrownBy(() -> accounts.load(id))
                .isInstanceOf(dev.eventfold.eventstore.serialization.SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize event 'InterestPaid' (schema version 1) of stream 'account-"
                        + id + "' at version 1: ")
                .hasMessageContaining("unknown event type");
    }
}
