package dev.eventfold.examples.bank;

import java.math.BigDecimal;

/** A withdrawal larger than the balance: accounts never go into overdraft. */
public final class InsufficientFundsException extends AccountRejectedException {

    private static final long serialVersionUID = 1L;

    private final BigDecimal balance;
    private final BigDecimal requested;

    /**
     * @param balance the balance the withdrawal was decided on
     * @param requested the amount asked for
     */
    public InsufficientFundsException(BigDecimal balance, BigDecimal requested) {
        super("cannot withdraw " + requested.toPlainString() + " from a balance of " + balance.toPlainString());
        this.balance = balance;
        this.requested = requested;
    }

    /** @return the balance the withdrawal was decided on */
    public BigDecimal balance() {
        return balance;
    }

    /** @return the amount asked for */
    public BigDecimal requested() {
        return requested;
    }
}
