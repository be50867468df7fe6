package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.internal.RequestChecks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Loads whole streams into a {@link PostgresEventStore}, for migrations from another store: several streams per
 * transaction, their events written with PostgreSQL's {@code COPY} instead of one append call per batch.
 *
 * <pre>{@code
 * StreamImport.Result done = StreamImport.into(store)
 *         .eventsPerTransaction(5_000)
 *         .progress(p -> log.info("{} streams, {} events", p.streams(), p.events()))
 *         .run(streamsFromTheOldStore);
 * }</pre>
 *
 * <p>What holds: an import only <b>creates</b> streams (a stream that exists, is tombstoned or soft-deleted is refused
 * with {@link WrongExpectedVersionException} or {@link StreamDeletedException}); a stream is never split across
 * transactions, so each is stored whole or not at all; events keep the ids, types, payloads, metadata and, if given,
 * the recording times they had; every event is checked as an append checks it ({@link InvalidEventException}); an event
 * id stored already is refused ({@link DuplicateEventException}); the streams' locks are taken before anything is
 * written, so appends to the same ids wait and then see the imported streams, and readers of the log see each
 * transaction's events in stream order (ADR 0002). Subscriptions and projections are notified after each transaction.
 * A failure rolls back the current transaction only: {@link ImportFailedException#imported()} says how many streams
 * before it are stored, and the same iterator can be resumed after fixing the cause. Not done: the store's
 * {@code AppendListener} is not called, and payloads are stored as given (personal-data protection does not apply:
 * import what is to be encrypted through a protected store's appends). Not thread-safe; one import per instance.
 */
public final class StreamImport {

    /** One stream to import, its events in stream order (version 0 first). */
    public record Stream(String streamId, List<Event> events) {

        /**
         * @param streamId the stream
         * @param events its events, recorded now
         * @return the stream
         */
        public static Stream of(String streamId, List<EventData> events) {
            List<Event> recorded = new ArrayList<>(events.size());
            for (EventData event : events) {
                recorded.add(new Event(event, null));
            }
            return new Stream(streamId, recorded);
        }
    }

    /**
     * One event to import.
     *
     * @param data its id, type, payload and metadata
     * @param recordedAt when the old store recorded it, or null for the time of the import
     */
    public record Event(EventData data, Instant recordedAt) {
    }

    /**
     * How far an import got.
     *
     * @param streams streams stored
     * @param events events stored
     * @param took time since the import started
     */
    public record Result(long streams, long events, Duration took) {
    }

    /** An import stopped: what it could not store, and how far it got before. */
    public static final class ImportFailedException extends dev.eventfold.eventstore.EventStoreException {
        private static final long serialVersionUID = 1L;
        private final transient Result imported;

        ImportFailedException(Result imported, RuntimeException cause) {
            super("the import stopped after " + imported.streams() + " streams (" + imported.events() + " events) "
                    + "were stored; the transaction of the next streams was rolled back: " + cause.getMessage(), cause);
            this.imported = imported;
        }

        /** @return what was stored before the failure */
        public Result imported() {
            return imported;
        }
    }

    private final PostgresEventStore store;
    private int eventsPerTransaction = 5_000;
    private Consumer<Result> progress = result -> { };

    private StreamImport(PostgresEventStore store) {
        this.store = store;
    }

    /**
     * @param store the store to import into (migrated, open)
     * @return an import with 5,000 events per transaction and no progress reports
     * @throws InvalidRequestException if {@code store} is null
     */
    public static StreamImport into(PostgresEventStore store) {
        if (store == null) {
            throw new InvalidRequestException("store must not be null");
        }
        return new StreamImport(store);
    }

    /**
     * @param value events per transaction, 1 to 1,000,000 (a larger stream gets a transaction of its own)
     * @return this import
     * @throws InvalidRequestException if out of range
     */
    public StreamImport eventsPerTransaction(int value) {
        if (value < 1 || value > 1_000_000) {
            throw new InvalidRequestException("eventsPerTransaction must be 1 to 1,000,000, was " + value);
        }
        eventsPerTransaction = value;
        return this;
    }

    /**
     * @param value called after each committed transaction with the totals so far
     * @return this import
     * @throws InvalidRequestException if null
     */
    public StreamImport progress(Consumer<Result> value) {
        if (value == null) {
            throw new InvalidRequestException("progress must not be null");
        }
        progress = value;
        return this;
    }

    /**
     * Imports every stream the iterator yields.
     *
     * @param streams the streams, each once
     * @return the totals
     * @throws ImportFailedException if a transaction failed (its cause is the typed error: a stream that exists, a
     *     malformed event, a duplicate id, PostgreSQL unreachable); earlier transactions are stored
     */
    public Result run(Iterator<Stream> streams) {
        long started = System.nanoTime();
        long storedStreams = 0;
        long storedEvents = 0;
        List<Stream> chunk = new ArrayList<>();
        int chunkEvents = 0;
        while (streams.hasNext()) {
            Stream next = streams.next();
            try {
                check(next);
            } catch (RuntimeException e) {
                throw new ImportFailedException(new Result(storedStreams, storedEvents,
                        Duration.ofNanos(System.nanoTime() - started)), e);
            }
            if (!chunk.isEmpty() && chunkEvents + next.events().size() > eventsPerTransaction) {
                storedEvents += write(chunk, storedStreams, storedEvents, started);
                storedStreams += chunk.size();
                chunk.clear();
                chunkEvents = 0;
            }
            chunk.add(next);
            chunkEvents += next.events().size();
        }
        if (!chunk.isEmpty()) {
            storedEvents += write(chunk, storedStreams, storedEvents, started);
            storedStreams += chunk.size();
        }
        return new Result(storedStreams, storedEvents, Duration.ofNanos(System.nanoTime() - started));
    }

    private void check(Stream stream) {
        if (stream == null) {
            throw new InvalidEventException("an imported stream must not be null");
        }
        if (stream.events() == null || stream.events().isEmpty()) {
            throw new InvalidEventException("stream '" + stream.streamId() + "': an imported stream needs at least "
                    + "one event");
        }
        List<EventData> data = new ArrayList<>(stream.events().size());
        for (Event event : stream.events()) {
            if (event == null) {
                throw new InvalidEventException("stream '" + stream.streamId() + "' holds a null event");
            }
            data.add(event.data());
        }
        RequestChecks.checkEvents(store.options().limits(), stream.streamId(), data);
    }

    /** Writes one chunk in one transaction; @return its events */
    private int write(List<Stream> chunk, long storedStreams, long storedEvents, long started) {
        ImportWriter writer = new ImportWriter(store.options().schema());
        int events;
        try {
            events = writer.write(store.dataSource(), chunk);
        } catch (RuntimeException e) {
            throw new ImportFailedException(new Result(storedStreams, storedEvents,
                    Duration.ofNanos(System.nanoTime() - started)), e);
        }
        store.appendedElsewhere();
        progress.accept(new Result(storedStreams + chunk.size(), storedEvents + events,
                Duration.ofNanos(System.nanoTime() - started)));
        return events;
    }
}
