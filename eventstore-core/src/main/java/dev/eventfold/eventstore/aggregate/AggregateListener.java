package dev.eventfold.eventstore.aggregate;

import java.time.Duration;

/**
 * Hooks for metrics and tracing around an {@link AggregateRepository}. Every method has an empty default; they run
 * on the thread that did the work (the caller's, or the snapshot writer's), must be fast and must not throw (what they
 * throw is logged and ignored).
 */
public interface AggregateListener {

    /**
     * @param listeners listeners, e.g. one for metrics and one for tracing
     * @return a listener that tells each of them, in order; one that throws does not keep the others from hearing
     * @throws dev.eventfold.eventstore.InvalidRequestException if the array or one of them is null
     */
    static AggregateListener all(AggregateListener... listeners) {
        return new CompositeAggregateListener(listeners);
    }

    /**
     * A state was rebuilt from the store (not served from the cache).
     *
     * @param streamId the stream
     * @param eventsReplayed events folded after the snapshot, or from the start
     * @param fromSnapshot whether a snapshot was used
     * @param took how long loading took
     */
    default void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
    }

    /** @param streamId a stream whose state the cache had */
    default void cacheHit(String streamId) {
    }

    /** @param streamId a stream whose state the cache did not have */
    default void cacheMiss(String streamId) {
    }

    /**
     * An append lost a version race (another writer, or a stale cache entry); the command is decided again unless
     * this was the last attempt.
     *
     * @param streamId the stream
     * @param attempt the attempt that lost, from 1
     */
    default void conflict(String streamId, int attempt) {
    }

    /**
     * @param streamId the stream
     * @param version the stream version the snapshot was taken at
     */
    default void snapshotWritten(String streamId, long version) {
    }

    /**
     * A stored snapshot was not used: another schema version, or unreadable. The state was rebuilt from events.
     *
     * @param streamId the stream
     * @param snapshotSchemaVersion the schema version of the stored snapshot
     * @param reason why it was not used
     */
    default void snapshotIgnored(String streamId, int snapshotSchemaVersion, String reason) {
    }

    /**
     * Taking a snapshot failed. The append it followed had already succeeded and is unaffected.
     *
     * @param streamId the stream
     * @param version the stream version of the snapshot
     * @param error what failed
     */
    default void snapshotFailed(String streamId, long version, Throwable error) {
    }
}
