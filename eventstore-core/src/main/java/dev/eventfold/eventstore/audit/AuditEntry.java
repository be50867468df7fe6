package dev.eventfold.eventstore.audit;

import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Instant;
import java.util.Map;

/**
 * One administrative action as the audit stream keeps it. Immutable.
 *
 * @param version its place in the audit stream, 0 or more
 * @param at when it was done
 * @param action what was done, e.g. {@value Administration#FORGET}
 * @param actor who did it (a user or service id)
 * @param reason why, as the actor gave it
 * @param target what it was done to: a data subject's id or a stream id
 * @param details what the action reported (keys destroyed, a stream's last version, ...); never personal data
 */
public record AuditEntry(long version, Instant at, String action, String actor, String reason, String target,
        Map<String, String> details) {

    /** The longest {@code reason} kept, in characters. */
    public static final int MAX_REASON_LENGTH = 1000;

    /** The longest {@code action}, {@code actor} and {@code target}, in characters. */
    public static final int MAX_NAME_LENGTH = 256;

    /**
     * @param version its place in the audit stream
     * @param at when it was done
     * @param action what was done
     * @param actor who did it
     * @param reason why
     * @param target what it was done to
     * @param details what the action reported
     * @throws InvalidRequestException if a component is null, blank or too long
     */
    public AuditEntry {
        if (version < 0 || at == null || details == null) {
            throw new InvalidRequestException("an audit entry needs a version of 0 or more, a time and details");
        }
        check("action", action, MAX_NAME_LENGTH);
        check("actor", actor, MAX_NAME_LENGTH);
        check("reason", reason, MAX_REASON_LENGTH);
        check("target", target, MAX_NAME_LENGTH);
        details = Map.copyOf(details);
    }

    static void check(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("an administrative action needs a " + name);
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(name + " must be at most " + maxLength + " characters, was "
                    + value.length());
        }
    }
}
