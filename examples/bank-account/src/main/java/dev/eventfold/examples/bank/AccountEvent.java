package dev.eventfold.examples.bank;

import java.math.BigDecimal;

/**
 * What happened to a bank account: facts, stored as JSON under the type names registered in
 * {@link Accounts#EVENT_TYPES}. Amounts are {@link BigDecimal}s, which Eventfold's JSON settings keep exact.
 */
public sealed interface AccountEvent {

    /** @param owner who holds the account */
    record Opened(String owner) implements AccountEvent {
    }

    /** @param amount how much was put in */
    record Deposited(BigDecimal amount) implements AccountEvent {
    }

    /** @param amount how much was taken out */
    record Withdrawn(BigDecimal amount) implements AccountEvent {
    }
}
