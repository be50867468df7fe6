package dev.eventfold.eventstore;

import java.time.Duration;
import java.util.List;

/**
 * Hooks for metrics around a store's appends, set on the store's builder. Both methods have an empty default; they
 * run on the appending thread after the append has finished (committed or failed), must be fast, and must not throw
 * (what they throw is logged and ignored; the append's outcome is unaffected).
 *
 * <p>{@code eventstore-micrometer} implements this; see {@code docs/observability.md}.
 */
public interface AppendListener {

    /** A listener that does nothing. */
    AppendListener NONE = new AppendListener() {
    };

    /**
     * An append stored its events, or was an idempotent retry of an append that had stored them.
     *
     * @param streamId the stream
     * @param events the events as given
     * @param result what the append returned
     * @param replayed {@code true} if nothing was written because the events were stored already (DESIGN §4)
     * @param took how long the append took, including a retry check
     */
    default void appended(String streamId, List<EventData> events, AppendResult result, boolean replayed,
            Duration took) {
    }

    /**
     * An append failed and wrote nothing.
     *
     * @param streamId the stream, as given (may be invalid)
     * @param events the events as given, empty if none were
     * @param error what was thrown to the caller: a {@link WrongExpectedVersionException} for a version conflict, a
     *     {@link DuplicateEventException}, a {@link StreamDeletedException}, an {@link InvalidRequestException} or an
     *     {@link EventStoreUnavailableException}
     * @param took how long the append took
     */
    default void failed(String streamId, List<EventData> events, EventStoreException error, Duration took) {
    }
}
