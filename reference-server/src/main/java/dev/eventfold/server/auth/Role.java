package dev.eventfold.server.auth;

import java.util.Locale;

/** What a caller may do: a customer sees and changes their own orders; an admin sees all and runs operations. */
public enum Role {
    /** A customer. */
    CUSTOMER,
    /** An operator. */
    ADMIN;

    /**
     * @param value {@code customer} or {@code admin}
     * @return the role, or null when the value is neither
     */
    public static Role parse(String value) {
        if ("customer".equals(value)) {
            return CUSTOMER;
        }
        return "admin".equals(value) ? ADMIN : null;
    }

    /** @return the name in tokens and JSON: {@code customer} or {@code admin} */
    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }
}
