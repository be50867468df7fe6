package dev.eventfold.examples.bank;

/**
 * The account refuses a command (opened twice, not opened yet, an amount that is not positive). Thrown from the
 * decider; the repository lets it through unchanged and appends nothing.
 */
public class AccountRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message why */
    public AccountRejectedException(String message) {
        super(message);
    }
}
