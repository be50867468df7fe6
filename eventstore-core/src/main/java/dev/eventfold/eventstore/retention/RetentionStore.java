package dev.eventfold.eventstore.retention;

import dev.eventfold.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.List;

/**
 * A store that can remove old events: each removal copies the events to the store's archive first and takes the
 * stream's lock, so concurrent appends are neither lost nor counted twice; the {@code $all} log keeps its order and
 * positions (what was removed is simply no longer there, and the audit entry of the run says what). Wire it into
 * administrative code only, through {@link dev.eventfold.eventstore.audit.Administration#applyRetention}.
 *
 * <p>Implementations are thread-safe.
 */
public interface RetentionStore {

    /**
     * Removes what the policy names, stream by stream, each under the stream's lock with the cut computed there.
     *
     * @param policy what to remove
     * @param now the time {@code maxAge} counts back from
     * @param actor who runs it (kept with each archived event)
     * @param reason why (likewise)
     * @return one entry per stream that lost events, empty if none did
     * @throws dev.eventfold.eventstore.InvalidRequestException if an argument is null or malformed
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the store cannot be reached; the streams
     *     done before stay done
     */
    List<Removal> removeEvents(RetentionPolicy policy, Instant now, String actor, String reason);

    /**
     * The archive: what retention removed from a stream, oldest first, as it was stored (ids, positions, times), for a
     * person to inspect or re-append elsewhere.
     *
     * @param streamId the stream
     * @return its archived events, empty if none
     */
    List<RecordedEvent> archived(String streamId);

    /**
     * What one stream lost.
     *
     * @param streamId the stream
     * @param fromVersion the first version removed by this run
     * @param toVersion the first version that stays
     */
    record Removal(String streamId, long fromVersion, long toVersion) {

        /** @return how many events went */
        public long count() {
            return toVersion - fromVersion;
        }
    }
}
