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
 *
 * <p>Into a new, empty store, {@link #initialLoad()} loads about twice as fast per event: one transaction, with the
 * indexes built after the rows are in, while every other session waits.
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
    private boolean initialLoad;

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
     * @param value events per transaction, 1 to 1,000,000 (a larger stream gets a transaction of its own); for an
     *     {@link #initialLoad()}, events per {@code COPY} and progress report
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
     * Makes this import an <b>initial load</b>: every stream in one transaction into an <b>empty</b> store, with the
     * events table's indexes (all but its primary key, unique constraints included) dropped before the rows go in and
     * built again after them, as {@code pg_restore} does: PostgreSQL builds an index from sorted rows several times
     * faster than it maintains it row by row (docs/performance.md, Bulk import). For migrating a history into a new
     * store before the service takes traffic.
     *
     * <p>What changes: the events and streams tables are locked against every other session until the load commits
     * (reads and appends wait; if another session holds them for 10 s the load is refused with
     * {@link InvalidRequestException}); a store that holds any event or stream is refused the same way; the load
     * is stored whole or not at all, so {@link ImportFailedException#imported()} is always zero; progress is reported
     * after each {@link #eventsPerTransaction} events <i>written</i>, which are stored when the load commits at the
     * end; an event id that appears twice is found when the unique index is built, and refused with
     * {@link InvalidEventException} naming it. Everything else holds as for any import.
     *
     * @return this import
     */
    public StreamImport initialLoad() {
        initialLoad = true;
        return this;
    }

    /**
     * Imports every stream the iterator yields.
     *
     * @param streams the streams, each once
     * @return the totals
     * @throws ImportFailedException if a transaction failed (its cause is the typed error: a stream that exists, a
     *     malformed event, a duplicate id, PostgreSQL unreachable, for an initial load a store in use or not empty);
     *     earlier transactions are stored (none, for an initial load)
     */
    public Result run(Iterator<Stream> streams) {
        long started = System.nanoTime();
        if (!initialLoad) {
            return chunks(streams, started, true, this::write);
        }
        InitialLoad load;
        try {
            load = InitialLoad.begin(store.dataSource(), store.options().schema());
        } catch (RuntimeException e) {
            throw new ImportFailedException(new Result(0, 0, Duration.ofNanos(System.nanoTime() - started)), e);
        }
        try (load) {
            Result written = chunks(streams, started, false, load::write);
            try {
                load.commit();
            } catch (RuntimeException e) {
                throw new ImportFailedException(new Result(0, 0, Duration.ofNanos(System.nanoTime() - started)), e);
            }
            store.appendedElsewhere();
            return new Result(written.streams(), written.events(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Writes one chunk; @return its events */
    private interface ChunkWriter {
        int write(List<Stream> chunk);
    }

    /**
     * Checks the streams and hands them to {@code writer} in chunks of about {@link #eventsPerTransaction} events.
     *
     * @param stored whether a written chunk is stored (committed), so a failure reports what came before it
     */
    private Result chunks(Iterator<Stream> streams, long started, boolean stored, ChunkWriter writer) {
        long written = 0;
        long writtenEvents = 0;
        List<Stream> chunk = new ArrayList<>();
        int chunkEvents = 0;
        while (true) {
            Stream next = streams.hasNext() ? streams.next() : null;
            try {
                if (next != null) {
                    check(next);
                }
                if (!chunk.isEmpty() && (next == null || chunkEvents + next.events().size() > eventsPerTransaction)) {
                    writtenEvents += writer.write(chunk);
                    written += chunk.size();
                    chunk.clear();
                    chunkEvents = 0;
                    progress.accept(new Result(written, writtenEvents, Duration.ofNanos(System.nanoTime() - started)));
                }
            } catch (RuntimeException e) {
                throw new ImportFailedException(new Result(stored ? written : 0, stored ? writtenEvents : 0,
                        Duration.ofNanos(System.nanoTime() - started)), e);
            }
            if (next == null) {
                return new Result(written, writtenEvents, Duration.ofNanos(System.nanoTime() - started));
            }
            chunk.add(next);
            chunkEvents += next.events().size();
        }
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
    private int write(List<Stream> chunk) {
        int events = new ImportWriter(store.options().schema()).write(store.dataSource(), chunk);
        store.appendedElsewhere();
        return events;
    }
}
