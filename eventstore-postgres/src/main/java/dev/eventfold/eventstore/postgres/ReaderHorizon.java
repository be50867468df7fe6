package dev.eventfold.eventstore.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What holds readers of the log back right now. Readers only see events of transactions older than the oldest
 * transaction still running anywhere in the PostgreSQL cluster (the xmin horizon), so a long transaction, even one
 * that never touches the event store, delays every subscription and projection until it ends. This tells who that is
 * and how much is waiting behind it. See docs/adr/0002-gap-safety.md.
 *
 * <p>Immutable.
 *
 * @param horizonTransactionId the oldest running transaction id ({@code xid8}); events of it and later are not
 *     readable yet
 * @param eventsHeldBack committed events that readers cannot see yet because of the horizon
 * @param oldestHeldBackSince when the oldest of those was recorded, if any
 * @param holder the oldest running transaction, if it could be identified
 */
public record ReaderHorizon(long horizonTransactionId, long eventsHeldBack, Optional<Instant> oldestHeldBackSince,
        Optional<HoldingTransaction> holder) {

    /**
     * @param now the current time
     * @return how long the oldest held-back event has been waiting, zero if none is
     */
    public Duration lag(Instant now) {
        return oldestHeldBackSince.map(since -> Duration.between(since, now)).filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
    }

    /**
     * The transaction at the horizon.
     *
     * @param pid the backend's process id ({@code pg_terminate_backend(pid)} ends it), or 0 for a prepared transaction
     * @param database the database it runs in
     * @param user the role it runs as
     * @param applicationName its {@code application_name}
     * @param state its state, e.g. {@code idle in transaction}; {@code prepared} for a prepared transaction
     * @param transactionStart when its transaction started
     * @param queryStart when its current or last query started, if known
     * @param age how long its transaction has been running
     */
    public record HoldingTransaction(int pid, String database, String user, String applicationName, String state,
            Instant transactionStart, Optional<Instant> queryStart, Duration age) {
    }
}
