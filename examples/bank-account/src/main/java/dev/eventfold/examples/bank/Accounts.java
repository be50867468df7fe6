package dev.eventfold.examples.bank;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import dev.eventfold.examples.bank.AccountCommand.Deposit;
import dev.eventfold.examples.bank.AccountCommand.Open;
import dev.eventfold.examples.bank.AccountCommand.Withdraw;
import dev.eventfold.examples.bank.AccountEvent.Deposited;
import dev.eventfold.examples.bank.AccountEvent.Opened;
import dev.eventfold.examples.bank.AccountEvent.Withdrawn;
import java.math.BigDecimal;
import java.util.List;

/**
 * The bank account aggregate: its decider (pure functions, no I/O), its event registry, and the repository that
 * runs it on an event store.
 */
public final class Accounts {

    /** Stream ids are {@code account-<id>}. */
    public static final String CATEGORY = "account";

    /**
     * The stored type names of the events. Renaming one would orphan the events stored under it. Because
     * {@link AccountEvent} is sealed, {@code build()} fails if one of its records is not registered.
     */
    public static final EventTypes<AccountEvent> EVENT_TYPES = EventTypes.builder(AccountEvent.class)
            .register("AccountOpened", Opened.class)
            .register("MoneyDeposited", Deposited.class)
            .register("MoneyWithdrawn", Withdrawn.class)
            .build();

    /** Initial state, evolve, decide. */
    public static final Decider<AccountCommand, Account, AccountEvent> DECIDER =
            Decider.of(() -> Account.UNOPENED, Accounts::evolve, Accounts::decide);

    private Accounts() {
    }

    /**
     * A repository of accounts with snapshots. It retries a command that lost a version race (another writer
     * appended to the account between our load and our append) by reloading and deciding again.
     *
     * @param store the event store
     * @param snapshots where snapshots go
     * @param snapshotEvery take a snapshot after this many events since the last one, 1 or more
     * @return the repository; close it to flush pending snapshots
     */
    public static AggregateRepository<AccountCommand, Account, AccountEvent> repository(EventStore store,
            SnapshotStore snapshots, int snapshotEvery) {
        return AggregateRepository.builder(store, DECIDER, EVENT_TYPES)
                .category(CATEGORY)
                .snapshots(snapshots, StateCodec.jackson(Account.class, 1), new SnapshotPolicy(snapshotEvery))
                .maxAttempts(20)
                .build();
    }

    /** How an event changes the state. Total: every stored event is accepted, nothing is checked here. */
    static Account evolve(Account account, AccountEvent event) {
        if (event instanceof Opened opened) {
            return new Account(true, opened.owner(), BigDecimal.ZERO);
        }
        if (event instanceof Deposited deposited) {
            return new Account(true, account.owner(), account.balance().add(deposited.amount()));
        }
        Withdrawn withdrawn = (Withdrawn) event;
        return new Account(true, account.owner(), account.balance().subtract(withdrawn.amount()));
    }

    /** Which events a command produces from the current state, or a domain exception if the account refuses. */
    static List<AccountEvent> decide(AccountCommand command, Account account) {
        if (command instanceof Open open) {
            if (account.open()) {
                throw new AccountRejectedException("the account is already open");
            }
            return List.of(new Opened(open.owner()));
        }
        if (!account.open()) {
            throw new AccountRejectedException("the account is not open");
        }
        if (command instanceof Deposit deposit) {
            return List.of(new Deposited(positive(deposit.amount())));
        }
        BigDecimal amount = positive(((Withdraw) command).amount());
        if (amount.compareTo(account.balance()) > 0) {
            throw new InsufficientFundsException(account.balance(), amount);
        }
        return List.of(new Withdrawn(amount));
    }

    private static BigDecimal positive(BigDecimal amount) {
        if (amount == null || amount.signum() <= 0) {
            throw new AccountRejectedException("the amount must be more than zero, was " + amount);
        }
        return amount;
    }
}
