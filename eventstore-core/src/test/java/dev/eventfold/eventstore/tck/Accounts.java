package dev.eventfold.eventstore.tck;

import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.serialization.EventTypes;
import java.math.BigDecimal;
import java.util.List;

/**
 * A small bank-account domain the aggregate suites run on: open, deposit, withdraw (never below zero), close. Pure
 * functions, immutable records.
 */
public final class Accounts {

    private Accounts() {
    }

    /** Commands. */
    public sealed interface Command permits Open, Deposit, Withdraw, Close {
    }

    /** @param owner the owner */
    public record Open(String owner) implements Command {
    }

    /** @param amount a positive amount */
    public record Deposit(BigDecimal amount) implements Command {
    }

    /** @param amount a positive amount */
    public record Withdraw(BigDecimal amount) implements Command {
    }

    /** Closes the account. */
    public record Close() implements Command {
    }

    /** Events. */
    public sealed interface Event permits Opened, Deposited, Withdrawn, Closed {
    }

    /** @param owner the owner */
    public record Opened(String owner) implements Event {
    }

    /** @param amount the amount */
    public record Deposited(BigDecimal amount) implements Event {
    }

    /** @param amount the amount */
    public record Withdrawn(BigDecimal amount) implements Event {
    }

    /** The account was closed. */
    public record Closed() implements Event {
    }

    /**
     * @param owner the owner, null before opening
     * @param balance the balance
     * @param open whether it is open
     * @param transactions how many deposits and withdrawals
     */
    public record Account(String owner, BigDecimal balance, boolean open, int transactions) {
    }

    /** A rejected command. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    /** The account as a decider. */
    public static final Decider<Command, Account, Event> DECIDER = Decider.of(
            () -> new Account(null, BigDecimal.ZERO, false, 0),
            Accounts::evolve,
            Accounts::decide);

    /** The registry of the events. */
    public static final EventTypes<Event> EVENT_TYPES = EventTypes.builder(Event.class)
            .register("AccountOpened", Opened.class)
            .register("MoneyDeposited", Deposited.class)
            .register("MoneyWithdrawn", Withdrawn.class)
            .register("AccountClosed", Closed.class)
            .build();

    static Account evolve(Account state, Event event) {
        if (event instanceof Opened opened) {
            return new Account(opened.owner(), state.balance(), true, state.transactions());
        } else if (event instanceof Deposited deposited) {
            return new Account(state.owner(), state.balance().add(deposited.amount()), state.open(),
                    state.transactions() + 1);
        } else if (event instanceof Withdrawn withdrawn) {
            return new Account(state.owner(), state.balance().subtract(withdrawn.amount()), state.open(),
                    state.transactions() + 1);
        } else {
            return new Account(state.owner(), state.balance(), false, state.transactions());
        }
    }

    static List<Event> decide(Command command, Account state) {
        if (command instanceof Open open) {
            if (state.owner() != null) {
                return List.of(); // opening twice changes nothing
            }
            return List.of(new Opened(open.owner()));
        }
        if (!state.open()) {
            throw new Rejected("account is not open");
        }
        if (command instanceof Deposit deposit) {
            return List.of(new Deposited(deposit.amount()));
        } else if (command instanceof Withdraw withdraw) {
            if (state.balance().compareTo(withdraw.amount()) < 0) {
                throw new Rejected("insufficient funds");
            }
            return List.of(new Withdrawn(withdraw.amount()));
        } else {
            return state.balance().signum() == 0 ? List.of(new Closed())
                    : List.of(new Withdrawn(state.balance()), new Closed());
        }
    }
}
