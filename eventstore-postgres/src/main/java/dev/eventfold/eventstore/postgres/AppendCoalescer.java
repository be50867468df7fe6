package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.internal.Appends;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Single-event appends of concurrent callers, sent together (ADR 0008). A caller that arrives while no more than
 * {@link #ALONE_UP_TO} callers append (itself included) appends alone, with the plain statement of
 * {@code append-one.sql}, as if this class did not exist, and so does a caller that finds no statement of this store
 * busy (in flight for less than {@link #PATIENCE_NANOS}) and nobody waiting: one thread never waits here. Beyond that,
 * callers that arrive while one is busy queue; when it ends, when it has been in flight for the patience, or when
 * callers leave until no more than {@code ALONE_UP_TO} remain, the first of them takes up to {@link #MAX_BATCH}
 * queued appends to distinct streams and sends them as one statement ({@code append-to-streams}),
 * one transaction and one commit for all, and hands each caller its row. An append the statement did not make (its
 * expectation does not hold, its stream is deleted or absent, or its lock is held elsewhere), and every append of a
 * statement that failed, goes back to its own caller, which sends it alone without holding up the queue, so every
 * error and every idempotent answer comes from the same code as without coalescing. Only when no connection can be had
 * at all is that failure handed to every caller of the statement at once (each gets its own copy), since each would
 * wait for a connection in vain. The patience is there because a lone append may wait for a stream's lock held by
 * another transaction (an import, a long command), and appends to other streams must not wait for that transaction:
 * the queue is then sent beside it (its statement only tries locks, so it never waits behind it), and a queued caller
 * not taken into a statement within the patience appends alone. Thread-safe.
 */
final class AppendCoalescer {

    /**
     * Busy statements (in flight for less than {@link #PATIENCE_NANOS}) at once before callers queue; callers sent
     * back to append alone, or out of patience, neither check it nor count as busy, so more may be in flight, and
     * callers that take off while no more than {@link #ALONE_UP_TO} append skip it but count as busy. In
     * short {@code AppendBenchmark} runs one gained most at 16 threads (about 1.9× the appends per second without
     * coalescing; two, three and four gained 1.2–1.7×) and lost about 17 % at 4 threads, which
     * {@link #ALONE_UP_TO} now avoids; see docs/performance.md, "Coalesced single appends".
     */
    static final int MAX_IN_FLIGHT = 1;
    /**
     * Callers appending at once (queued, in a statement or alone) up to which an arriving caller appends alone: a few
     * separate transactions the database overlaps (one executes while another's commit is flushed), which a single
     * coalesced statement cannot; beyond that the callers' statements compete for the CPU and sending them together
     * wins. Callers queued while more appended are not sent off one by one when the count drops back: the first of
     * them then sends the queue as one statement. See docs/performance.md, "Coalesced single appends".
     */
    static final int ALONE_UP_TO = 4;
    /** Appends per statement at most. */
    static final int MAX_BATCH = 64;
    /**
     * How long a statement in flight holds up the queue, and how long a queued caller waits to be taken into a
     * statement before it appends alone: far above a statement's usual time here (p99 about 6 ms at 16 threads), far
     * below a lock held for a long transaction.
     */
    static final long PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final DataSource dataSource;
    private final String sql;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    /**
     * This store's statements that may hold up the queue, with when each started: at most
     * {@code max(MAX_IN_FLIGHT, ALONE_UP_TO)} of them busy, and any number in flight for longer than the patience.
     * Callers sent back to append alone are not here.
     */
    private final List<Flight> inFlight = new ArrayList<>();
    /** Callers in {@link #append} now, under the lock. */
    private int active;

    AppendCoalescer(DataSource dataSource, Sql sql) {
        this.dataSource = dataSource;
        this.sql = sql.appendToStreams;
    }

    /** A statement in flight. */
    private static final class Flight {
        final long started;

        Flight(long started) {
            this.started = started;
        }
    }

    /** One caller's single-event append. */
    static final class Request {
        final String streamId;
        final short mode;
        final long expected;
        final UUID eventId;
        final String type;
        final String payload;
        final String metadata;
        /** Set by the leader that sent it, under the lock: the row, or null when the caller must append alone. */
        private AppendResult result;
        /** Set instead when the statement could get no connection: the caller meets that failure as if alone. */
        private SQLException failure;
        /** Set under the lock when a leader takes it into a statement: its caller no longer leads. */
        private boolean taken;
        private boolean done;

        Request(String streamId, short mode, long expected, UUID eventId, String type, String payload,
                String metadata) {
            this.streamId = streamId;
            this.mode = mode;
            this.expected = expected;
            this.eventId = eventId;
            this.type = type;
            this.payload = payload;
            this.metadata = metadata;
        }
    }

    /** The caller's own append, sent alone. */
    @FunctionalInterface
    interface Alone {
        Optional<Appends.Outcome> append() throws SQLException;
    }

    /**
     * Appends {@code request}, alone or with others.
     *
     * @param alone sends it alone (the plain statement), when it is not sent with others or they did not make it
     * @return what {@code alone} would return: the outcome, or empty when the append was not made
     * @throws SQLException from {@code alone}, or a copy of the failure to get a connection for the statement it was
     *     to be sent with
     */
    Optional<Appends.Outcome> append(Request request, Alone alone) throws SQLException {
        Flight flight = null;
        lock.lock();
        try {
            active++;
            if (active <= ALONE_UP_TO || busy(System.nanoTime()) < MAX_IN_FLIGHT && waiting.isEmpty()) {
                flight = takeOff();
            } else if (answeredInQueue(request)) {
                if (request.failure != null) {
                    throw forCaller(request.failure);
                }
                return Optional.of(new Appends.Outcome(request.result, false));
            }
            // Alone: taking off above, or not made with others, or out of patience. In the latter two cases not in
            // flight for the queue (its stream's lock may be busy, which is why it may not have been made), so it
            // never holds the queue up.
            lock.unlock();
            try {
                return alone.append();
            } finally {
                lock.lock();
            }
        } finally {
            leave();
            if (flight != null) {
                land(flight);
            }
            lock.unlock();
        }
    }

    /**
     * Under the lock: queues {@code request} until a statement answers it (true), or until its caller is to append
     * alone (false): the statement did not make it, or no statement took it within the patience. The caller that
     * finds the queue free to go leads: it takes the queue into a statement and sends it, without the lock.
     */
    private boolean answeredInQueue(Request request) {
        boolean interrupted = false;
        waiting.add(request);
        try {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            boolean outOfPatience = false;
            while (!request.done && !outOfPatience) {
                long now = System.nanoTime();
                if (!request.taken && (active <= ALONE_UP_TO || busy(now) < MAX_IN_FLIGHT)) { // it leads
                    lead();
                } else {
                    long left = deadline - now;
                    if (left <= 0) {
                        // Still queued: go alone. Taken into a statement: wait for its answer (it waits for no
                        // stream's lock; only for a connection, or for another transaction's uncommitted row with
                        // the same event id).
                        outOfPatience = waiting.remove(request);
                        left = PATIENCE_NANOS;
                    }
                    if (!outOfPatience) {
                        try {
                            // Not abandoned on interrupt: a leader may be sending it. Woken when a statement ends,
                            // when the one in flight has been in flight for the patience, or when callers leave
                            // and no more than ALONE_UP_TO remain.
                            changed.awaitNanos(Math.min(left, untilBusyAges(now)));
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                }
            }
            return request.result != null || request.failure != null;
        } finally {
            if (!request.done) {
                waiting.remove(request); // leaving on an Error: no statement may write it after its caller gave up
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Under the lock: takes the oldest queued appends into a statement and sends it, without the lock. */
    private void lead() {
        Flight sent = takeOff();
        List<Request> batch;
        try {
            batch = take();
        } catch (RuntimeException | Error e) {
            land(sent);
            throw e;
        }
        lock.unlock();
        try {
            send(batch);
        } finally {
            lock.lock();
            land(sent);
        }
    }

    /** Callers in {@link #append} now (for tests). */
    int appending() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: a caller leaves; a queued one may now lead (see {@link #ALONE_UP_TO}). */
    private void leave() {
        active--;
        if (active == ALONE_UP_TO && !waiting.isEmpty()) {
            changed.signalAll();
        }
    }

    /** Under the lock: a statement starts; it holds up the queue for at most {@link #PATIENCE_NANOS}. */
    private Flight takeOff() {
        Flight flight = new Flight(System.nanoTime());
        inFlight.add(flight);
        return flight;
    }

    /** Under the lock: a statement ended; the queue may go on. */
    private void land(Flight flight) {
        inFlight.remove(flight);
        changed.signalAll();
    }

    /**
     * Under the lock: statements in flight for less than {@link #PATIENCE_NANOS}. One in flight longer is most likely
     * a lone append waiting for a stream's lock another transaction holds; it no longer holds up the queue, which is
     * then sent as if nothing were in flight (the statement tries its locks and so never waits behind it).
     */
    private int busy(long now) {
        int busy = 0;
        for (Flight flight : inFlight) {
            if (now - flight.started < PATIENCE_NANOS) {
                busy++;
            }
        }
        return busy;
    }

    /**
     * Under the lock: nanoseconds until no statement now in flight counts as busy any more, at least 1 (with none
     * busy, the patience: the caller then waits for a statement that took it to end).
     */
    private long untilBusyAges(long now) {
        long until = 0;
        for (Flight flight : inFlight) {
            until = Math.max(until, flight.started + PATIENCE_NANOS - now);
        }
        return until > 0 ? until : PATIENCE_NANOS;
    }

    /** Under the lock: the oldest waiting appends, at most one per stream and {@link #MAX_BATCH} in all. */
    private List<Request> take() {
        List<Request> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        Set<String> streams = new HashSet<>();
        for (Iterator<Request> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
            Request next = it.next();
            if (streams.add(next.streamId)) {
                next.taken = true;
                batch.add(next);
                it.remove();
            }
        }
        return batch;
    }

    /** Sends a batch and hands each caller its row; whatever goes wrong, every caller is answered. */
    private void send(List<Request> batch) {
        Map<String, AppendResult> rows = Map.of();
        SQLException failure = null;
        try {
            if (batch.size() > 1) {
                Connection connection = null;
                try {
                    connection = dataSource.getConnection();
                } catch (SQLException e) {
                    failure = e; // none to be had: each caller, alone, would wait for one in vain
                }
                if (connection != null) {
                    try (Connection used = connection) {
                        rows = CoalescedStatement.execute(used, sql, batch);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            // A row's failure (a stored event id) or this connection's (a broken socket): each caller appends alone
            // and meets it, or not, on its own; a retry of a statement that did commit is answered as a retry.
            rows = Map.of();
        } finally {
            lock.lock();
            try {
                for (Request request : batch) {
                    request.result = rows.get(request.streamId);
                    request.failure = failure;
                    request.done = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A copy of a failure shared by a statement's callers, so that each throws its own. */
    private static SQLException forCaller(SQLException shared) {
        return shared instanceof SQLTransientConnectionException
                ? new SQLTransientConnectionException(shared.getMessage(), shared.getSQLState(), shared)
                : new SQLException(shared.getMessage(), shared.getSQLState(), shared);
    }
}
