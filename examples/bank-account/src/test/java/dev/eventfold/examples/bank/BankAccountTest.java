package dev.eventfold.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.AggregateState;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresSnapshotStore;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.examples.bank.AccountCommand.Deposit;
import dev.eventfold.examples.bank.AccountCommand.Open;
import dev.eventfold.examples.bank.AccountCommand.Withdraw;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bank account on a real PostgreSQL event store, in a schema of its own. */
class BankAccountTest {

    private static HikariDataSource dataSource;
    private static String schema;
    private static PostgresEventStore store;
    private static PostgresSnapshotStore snapshots;

    @BeforeAll
    static void startStore() {
        dataSource = TestDatabase.pool();
        schema = TestDatabase.newSchema(dataSource);
        store = PostgresEventStore.builder(dataSource).schema(schema).build();
        snapshots = PostgresSnapshotStore.create(dataSource, schema);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (store != null) {
            store.close();
        }
        if (dataSource != null) {
            TestDatabase.dropSchema(dataSource, schema);
            dataSource.close();
        }
    }

    @Test
    void deposits_and_withdrawals_fold_into_the_balance() {
        String id = newAccountId();
        try (var accounts = Accounts.repository(store, snapshots, 100)) {
            accounts.handle(id, new Open("ada"));
            accounts.handle(id, new Deposit(new BigDecimal("100.00")));
            accounts.handle(id, new Withdraw(new BigDecimal("30.25")));
            CommandResult<Account, AccountEvent> last = accounts.handle(id, new Deposit(new BigDecimal("5.50")));

            assertThat(last.version()).isEqualTo(3);
            assertThat(last.state().balance()).isEqualByComparingTo("75.25");
            assertThat(accounts.load(id).state()).isEqualTo(new Account(true, "ada", new BigDecimal("75.25")));
        }
        assertThat(store.readStreamForward("account-" + id)).extracting(RecordedEvent::type)
                .containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited");
    }

    @Test
    void an_overdraft_is_refused_and_nothing_is_written() {
        String id = newAccountId();
        try (var accounts = Accounts.repository(store, snapshots, 100)) {
            accounts.handle(id, new Open("grace"));
            accounts.handle(id, new Deposit(new BigDecimal("10")));

            assertThatThrownBy(() -> accounts.handle(id, new Withdraw(new BigDecimal("10.01"))))
                    .isInstanceOfSatisfying(InsufficientFundsException.class, refused -> {
                        assertThat(refused.balance()).isEqualByComparingTo("10");
                        assertThat(refused.requested()).isEqualByComparingTo("10.01");
                    });
            assertThat(accounts.load(id).state().balance()).isEqualByComparingTo("10");
        }
        assertThat(store.streamVersion("account-" + id)).isEqualTo(1);
    }

    /**
     * Both threads load the account at balance 100 and decide to withdraw 60 (a barrier holds each until the other
     * has loaded too). Both append with "expected version 1": the store accepts one, rejects the other with a version
     * conflict; the repository reloads for the loser, decides again on balance 40, and the account refuses.
     */
    @Test
    void two_withdrawals_decided_on_the_same_balance_never_overdraw() throws Exception {
        String id = newAccountId();
        try (var accounts = Accounts.repository(store, snapshots, 100)) {
            accounts.handle(id, new Open("alan"));
            accounts.handle(id, new Deposit(new BigDecimal("100")));
            CyclicBarrier bothLoaded = new CyclicBarrier(2);
            Callable<Object> withdraw60 = () -> {
                AtomicBoolean firstAttempt = new AtomicBoolean(true);
                try {
                    return accounts.handleOn(id, account -> {
                        if (firstAttempt.getAndSet(false)) {
                            awaitQuietly(bothLoaded);
                        }
                        return new Withdraw(new BigDecimal("60"));
                    }, ExpectedVersion.any(), Metadata.empty());
                } catch (InsufficientFundsException refused) {
                    return refused;
                }
            };

            List<Object> outcomes = runTogether(withdraw60, withdraw60);

            assertThat(outcomes).filteredOn(CommandResult.class::isInstance).singleElement()
                    .extracting(r -> ((CommandResult<?, ?>) r).attempts()).isEqualTo(1);
            assertThat(outcomes).filteredOn(InsufficientFundsException.class::isInstance).singleElement()
                    .extracting(e -> ((InsufficientFundsException) e).balance())
                    .satisfies(balance -> assertThat(balance).isEqualByComparingTo("40"));
            assertThat(accounts.stats().conflicts()).isEqualTo(1);
            assertThat(accounts.load(id).state().balance()).isEqualByComparingTo("40");
        }
        assertThat(store.readStreamForward("account-" + id)).extracting(RecordedEvent::type)
                .containsExactly("AccountOpened", "MoneyDeposited", "MoneyWithdrawn");
    }

    /** The same race at volume: two threads withdraw 1 at a time, 60 times each, from a balance of 100. */
    @Test
    void many_concurrent_withdrawals_take_out_exactly_the_balance() throws Exception {
        String id = newAccountId();
        try (var accounts = Accounts.repository(store, snapshots, 100)) {
            accounts.handle(id, new Open("barbara"));
            accounts.handle(id, new Deposit(new BigDecimal("100")));
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger retriesOfWinners = new AtomicInteger();
            Callable<Object> sixtyWithdrawals = () -> {
                int succeeded = 0;
                for (int i = 0; i < 60; i++) {
                    try {
                        CommandResult<Account, AccountEvent> result = accounts.handle(id, new Withdraw(BigDecimal.ONE));
                        assertThat(result.state().balance().signum()).isNotNegative();
                        retriesOfWinners.addAndGet(result.attempts() - 1);
                        succeeded++;
                    } catch (InsufficientFundsException e) {
                        refused.incrementAndGet();
                    }
                }
                return succeeded;
            };

            List<Object> succeeded = runTogether(sixtyWithdrawals, sixtyWithdrawals);

            assertThat((int) succeeded.get(0) + (int) succeeded.get(1)).isEqualTo(100);
            assertThat(refused).hasValue(20);
            assertThat(accounts.load(id).state().balance()).isEqualByComparingTo("0");
            // Every lost race is counted; the winners' retries are some of them (the refused ones may have lost too).
            assertThat(accounts.stats().conflicts()).isGreaterThanOrEqualTo(retriesOfWinners.get());
            System.out.printf("100 withdrawals by two threads: %d version conflicts, retried by the repository%n",
                    accounts.stats().conflicts());
        }
        assertThat(store.readStreamForward("account-" + id)).filteredOn(e -> e.type().equals("MoneyWithdrawn"))
                .hasSize(100);
    }

    @Test
    void a_snapshot_is_taken_after_n_events_and_a_fresh_repository_starts_from_it() {
        String id = newAccountId();
        String streamId = "account-" + id;
        try (var accounts = Accounts.repository(store, snapshots, 5)) {
            accounts.handle(id, new Open("edsger"));
            for (int i = 0; i < 4; i++) {
                accounts.handle(id, new Deposit(new BigDecimal("25")));
            }
            // Five events (versions 0 to 4): the snapshot is written in the background, right after the append.
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshots.latest(streamId).isPresent());
            accounts.handle(id, new Withdraw(new BigDecimal("10")));
            accounts.handle(id, new Withdraw(new BigDecimal("5")));
            assertThat(accounts.stats().snapshotsWritten()).isEqualTo(1);
        }

        Snapshot snapshot = snapshots.latest(streamId).orElseThrow();
        assertThat(snapshot.streamVersion()).isEqualTo(4);
        assertThat(snapshot.schemaVersion()).isEqualTo(1);
        assertThat(StateCodec.jackson(Account.class, 1).deserialize(snapshot.state()))
                .isEqualTo(new Account(true, "edsger", new BigDecimal("100")));

        try (AggregateRepository<AccountCommand, Account, AccountEvent> fresh =
                Accounts.repository(store, snapshots, 5)) {
            AggregateState<Account> loaded = fresh.load(id);
            assertThat(loaded.version()).isEqualTo(6);
            assertThat(loaded.state().balance()).isEqualByComparingTo("85");
            // Started from the snapshot at version 4: only the two withdrawals were read and folded.
            assertThat(fresh.stats().eventsReplayed()).isEqualTo(2);
            assertThat(fresh.stats().snapshotsIgnored()).isZero();
        }
    }

    private static String newAccountId() {
        return UUID.randomUUID().toString();
    }

    /** Runs the tasks on threads of their own, released at the same moment; returns their results in order. */
    private static List<Object> runTogether(Callable<Object> first, Callable<Object> second) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (Callable<Object> task : List.of(first, second)) {
                futures.add(threads.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other withdrawal never loaded the account", e);
        }
    }
}
