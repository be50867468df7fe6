package dev.eventfold.examples.bank;

import java.math.BigDecimal;

/**
 * The state of a bank account, folded from its events. Immutable (the repository may share it between threads), and
 * a plain record so that {@code StateCodec.jackson} can write it into a snapshot and read it back.
 *
 * @param open whether the account was opened
 * @param owner who holds it, {@code null} before it is opened
 * @param balance the money on it, never negative
 */
public record Account(boolean open, String owner, BigDecimal balance) {

    /** An account nobody has opened yet: the state before the first event. */
    public static final Account UNOPENED = new Account(false, null, BigDecimal.ZERO);
}
