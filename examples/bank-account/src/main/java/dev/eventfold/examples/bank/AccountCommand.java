package dev.eventfold.examples.bank;

import java.math.BigDecimal;

/** What a caller asks of a bank account. Commands are requests: the account may refuse them. */
public sealed interface AccountCommand {

    /** @param owner who holds the account */
    record Open(String owner) implements AccountCommand {
    }

    /** @param amount how much to put in, more than zero */
    record Deposit(BigDecimal amount) implements AccountCommand {
    }

    /** @param amount how much to take out, more than zero and at most the balance */
    record Withdraw(BigDecimal amount) implements AccountCommand {
    }
}
