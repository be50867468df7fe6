package dev.eventfold.eventstore.audit;

import dev.eventfold.eventstore.EventStoreException;

/**
 * The audit trail could not be read (an event of its stream is not an entry), or an administrative action was done
 * but could not be recorded in it. The message says which; in the second case the action is not undone and can be
 * repeated (every audited action is idempotent or reports that it was done before).
 */
public final class AuditException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
