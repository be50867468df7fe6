package dev.eventfold.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An append-only store of events, grouped in streams and totally ordered in one store-wide log ({@code $all}).
 *
 * <h2>Contract</h2>
 * Every implementation passes the same contract suite (the {@code tck} package of this module's test-jar).
 * <ul>
 *   <li><b>Append</b> is atomic: all events of one call are stored, with contiguous stream versions after the
 *       stream's current version, or none is. It checks its {@link ExpectedVersion} and writes nothing if that fails
 *       ({@link WrongExpectedVersionException}).</li>
 *   <li><b>Idempotency</b>: appending events whose ids are already stored in that stream, at the same place and with
 *       the same content, succeeds without writing and returns the original {@link AppendResult}, whatever the
 *       expected version. The same id with other content or at another place is a
 *       {@link DuplicateEventException}.</li>
 *   <li><b>Reads</b> of a stream go forward or backward from a version, up to a count; the default page is
 *       {@link EventStoreLimits#maxEventsPerRead()}. A stream that does not exist reads as empty.</li>
 *   <li><b>The log</b> is read forward after a {@link LogPosition}; a reader that resumes after the last position it
 *       saw never skips an event, whatever order concurrent appends commit in.</li>
 *   <li><b>Subscriptions</b> deliver the log after a position, then live events, to one handler.</li>
 *   <li><b>Bad input</b> is rejected with {@link InvalidRequestException} or {@link InvalidEventException} before
 *       anything is written; see {@link EventStoreLimits}.</li>
 * </ul>
 * Implementations implement one abstract method per operation; the overloads are default methods over them.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * EventStore store = InMemoryEventStore.create();
 * AppendResult placed = store.append("order-1", ExpectedVersion.noStream(),
 *         EventData.of("OrderPlaced", "{\"customerId\":\"c-7\"}"));
 * store.append("order-1", ExpectedVersion.exactly(placed.nextExpectedVersion()),
 *         EventData.of("OrderConfirmed", "{}"));
 * List<RecordedEvent> history = store.readStreamForward("order-1");
 * }</pre>
 *
 * <p>Implementations are thread-safe. Every method blocks until the store has answered.
 */
public interface EventStore extends AutoCloseable {

    /** Read backward from the stream's last event: pass as {@code fromVersion}. */
    long END = Long.MAX_VALUE;

    /**
     * Appends events to a stream, atomically, if the stream satisfies {@code expected}.
     *
     * @param streamId the stream
     * @param expected the stream's version the caller expects
     * @param events the events, 1 to {@link EventStoreLimits#maxEventsPerAppend()}, with distinct ids
     * @return the new stream version and the events' positions (for a retry: those of the original append)
     * @throws WrongExpectedVersionException if the stream is not at the expected version
     * @throws DuplicateEventException if an event id is already stored elsewhere or with other content
     * @throws StreamDeletedException if the stream was tombstoned or is soft-deleted
     * @throws InvalidEventException if an event is malformed or breaks a limit, or the batch is empty or too large
     * @throws InvalidRequestException if the stream id or expected version is malformed
     * @throws EventStoreUnavailableException if the store cannot be reached; the append may or may not have happened
     */
    AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events);

    /**
     * Appends one event; see {@link #append(String, ExpectedVersion, List)}.
     *
     * @param streamId the stream
     * @param expected the stream's version the caller expects
     * @param event the event
     * @return the new stream version and the event's position
     */
    default AppendResult append(String streamId, ExpectedVersion expected, EventData event) {
        if (event == null) {
            throw new InvalidEventException("event must not be null (stream '" + streamId + "')");
        }
        return append(streamId, expected, List.of(event));
    }

    /**
     * Reads a stream.
     *
     * @param streamId the stream
     * @param direction {@link ReadDirection#FORWARD} for ascending versions starting at {@code fromVersion},
     *     {@link ReadDirection#BACKWARD} for descending versions starting at {@code fromVersion}
     * @param fromVersion the first version to return (inclusive), 0 or more; {@link #END} reads backward from the last
     *     event
     * @param maxCount the most events to return, 1 to {@link EventStoreLimits#maxEventsPerRead()}
     * @return the events, empty if the stream does not exist or has none in range
     * @throws StreamDeletedException if the stream was tombstoned or is soft-deleted
     * @throws InvalidRequestException if an argument is malformed or out of range
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion, int maxCount);

    /**
     * @param streamId the stream
     * @return the stream's first page of events, from version 0
     * @see #readStream(String, ReadDirection, long, int)
     */
    default List<RecordedEvent> readStreamForward(String streamId) {
        return readStream(streamId, ReadDirection.FORWARD, 0, limits().maxEventsPerRead());
    }

    /**
     * @param streamId the stream
     * @param fromVersion the first version to return
     * @param maxCount the most events to return
     * @return up to {@code maxCount} events from {@code fromVersion}, ascending
     * @see #readStream(String, ReadDirection, long, int)
     */
    default List<RecordedEvent> readStreamForward(String streamId, long fromVersion, int maxCount) {
        return readStream(streamId, ReadDirection.FORWARD, fromVersion, maxCount);
    }

    /**
     * @param streamId the stream
     * @return the stream's last page of events, newest first
     * @see #readStream(String, ReadDirection, long, int)
     */
    default List<RecordedEvent> readStreamBackward(String streamId) {
        return readStream(streamId, ReadDirection.BACKWARD, END, limits().maxEventsPerRead());
    }

    /**
     * Reads a stream forward for rebuilding state: the events of {@link #readStreamForward(String, long, int)}, each
     * with only what a fold needs (see {@link StreamEvent}). {@link dev.eventfold.eventstore.aggregate.AggregateRepository}
     * loads through this. The default maps {@code readStreamForward}; stores override it to read less.
     *
     * @param streamId the stream
     * @param fromVersion the first version to return
     * @param maxCount the most events to return, 1 to {@link EventStoreLimits#maxEventsPerRead()}
     * @return the events in version order, fewer than {@code maxCount} only at the end of the stream
     * @throws StreamDeletedException if the stream is tombstoned or soft-deleted
     * @throws InvalidRequestException if an argument is invalid
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    default List<StreamEvent> readStreamForFolding(String streamId, long fromVersion, int maxCount) {
        List<RecordedEvent> events = readStreamForward(streamId, fromVersion, maxCount);
        List<StreamEvent> result = new ArrayList<>(events.size());
        for (RecordedEvent event : events) {
            result.add(StreamEvent.of(event));
        }
        return result;
    }

    /**
     * Reads a stream forward for rebuilding state, handing each event (as {@link #readStreamForFolding} returns it) to
     * {@code each} until it returns {@code false} or the stream ends. A store may read the whole stream in one query
     * instead of pages of {@link EventStoreLimits#maxEventsPerRead()}; the default reads those pages through
     * {@link #readStreamForFolding}, so a wrapper that changes what that method returns stays correct without
     * overriding this one (and one that passes events through unchanged may forward it).
     *
     * @param streamId the stream
     * @param fromVersion the first version to hand over
     * @param each receives the events in version order; {@code false} stops the read
     * @throws StreamDeletedException if the stream is tombstoned or soft-deleted
     * @throws InvalidRequestException if an argument is invalid
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    default void foldStream(String streamId, long fromVersion, Predicate<StreamEvent> each) {
        if (each == null) {
            throw new InvalidRequestException("each must not be null");
        }
        int pageSize = limits().maxEventsPerRead();
        long next = fromVersion;
        while (true) {
            List<StreamEvent> page = readStreamForFolding(streamId, next, pageSize);
            for (StreamEvent event : page) {
                if (!each.test(event)) {
                    return;
                }
                next = event.streamVersion() + 1;
            }
            // A full page ending at the stream's last event needs no second, empty read.
            if (page.size() < pageSize || page.get(page.size() - 1).last()) {
                return;
            }
        }
    }

    /**
     * @param streamId the stream
     * @param fromVersion the first (highest) version to return, or {@link #END}
     * @param maxCount the most events to return
     * @return up to {@code maxCount} events from {@code fromVersion}, descending
     * @see #readStream(String, ReadDirection, long, int)
     */
    default List<RecordedEvent> readStreamBackward(String streamId, long fromVersion, int maxCount) {
        return readStream(streamId, ReadDirection.BACKWARD, fromVersion, maxCount);
    }

    /**
     * @param streamId the stream
     * @return the stream's version (that of its last event), or {@link ExpectedVersion#NO_STREAM}
     * @throws StreamDeletedException if the stream was tombstoned or soft-deleted
     */
    default long streamVersion(String streamId) {
        List<RecordedEvent> last = readStream(streamId, ReadDirection.BACKWARD, END, 1);
        return last.isEmpty() ? ExpectedVersion.NO_STREAM : last.get(0).streamVersion();
    }

    /**
     * Reads the store-wide log forward.
     *
     * @param after the position to read after ({@link LogPosition#START} for the beginning)
     * @param filter which events to return
     * @param maxCount the most events to return, 1 to {@link EventStoreLimits#maxEventsPerRead()}
     * @return the matching events after {@code after}, in log order; empty when there are none (yet). Resume after
     *     the last event's {@link RecordedEvent#logPosition()}.
     * @throws InvalidRequestException if an argument is null or out of range
     * @throws EventStoreUnavailableException if the store cannot be reached
     */
    List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount);

    /**
     * @param after the position to read after
     * @return the first page of the log after {@code after}
     * @see #readAll(LogPosition, EventFilter, int)
     */
    default List<RecordedEvent> readAll(LogPosition after) {
        return readAll(after, EventFilter.all(), limits().maxEventsPerRead());
    }

    /**
     * @param after the position to read after
     * @param maxCount the most events to return
     * @return up to {@code maxCount} events of the log after {@code after}
     * @see #readAll(LogPosition, EventFilter, int)
     */
    default List<RecordedEvent> readAll(LogPosition after, int maxCount) {
        return readAll(after, EventFilter.all(), maxCount);
    }

    /**
     * @param category the category, e.g. {@code order}
     * @param after the position to read after
     * @param maxCount the most events to return
     * @return up to {@code maxCount} events of the category after {@code after}, in log order
     * @see #readAll(LogPosition, EventFilter, int)
     */
    default List<RecordedEvent> readCategory(String category, LogPosition after, int maxCount) {
        return readAll(after, EventFilter.category(category), maxCount);
    }

    /**
     * Starts delivering the log after a position to a handler: first the stored events (catch-up), then new ones as
     * they are appended (live), in log order, each once. Delivery runs on a thread of the store's; this method
     * returns at once.
     *
     * @param after the position to deliver after ({@link LogPosition#START} for everything)
     * @param filter which events to deliver
     * @param handler the handler; if it throws, the subscription stops (see {@link EventHandler})
     * @return the running subscription, to stop it and read its position
     * @throws InvalidRequestException if an argument is null
     * @throws EventStoreUnavailableException if the store is closed or cannot be reached
     */
    Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler);

    /**
     * @param after the position to deliver after
     * @param handler the handler
     * @return the running subscription to every event
     * @see #subscribe(LogPosition, EventFilter, EventHandler)
     */
    default Subscription subscribeToAll(LogPosition after, EventHandler handler) {
        return subscribe(after, EventFilter.all(), handler);
    }

    /**
     * @param category the category
     * @param after the position to deliver after
     * @param handler the handler
     * @return the running subscription to one category
     * @see #subscribe(LogPosition, EventFilter, EventHandler)
     */
    default Subscription subscribeToCategory(String category, LogPosition after, EventHandler handler) {
        return subscribe(after, EventFilter.category(category), handler);
    }

    /**
     * Asks to be told when the log may have grown: the store calls {@code wake} after its own appends and, where it
     * can hear them, after other processes' appends (PostgreSQL: LISTEN/NOTIFY). A hint for readers that poll
     * {@link #readAll} (a projection runner does), never a promise: an event may become readable only later (see
     * gap safety in {@code docs/adr/0002-gap-safety.md}) and a notification can be lost, so a reader still polls, only
     * less eagerly. {@code wake} runs on a thread of the store's and must return quickly (signal, do not read).
     *
     * <p>The default never calls: a store that cannot tell leaves its readers to poll.
     *
     * @param wake what to run when the log may have grown
     * @return the registration; close it to stop the calls
     * @throws InvalidRequestException if {@code wake} is null
     * @throws EventStoreUnavailableException if the store is closed
     */
    default LogWatch watchLog(Runnable wake) {
        if (wake == null) {
            throw new InvalidRequestException("wake must not be null");
        }
        return LogWatch.NONE;
    }

    /** @return the limits this store enforces */
    EventStoreLimits limits();

    /**
     * Stops every subscription of this store and releases its resources. Afterwards every call throws
     * {@link EventStoreUnavailableException}. Idempotent.
     */
    @Override
    void close();
}
