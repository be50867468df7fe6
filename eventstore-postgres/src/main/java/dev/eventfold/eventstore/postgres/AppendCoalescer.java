package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.internal.Appends;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Single-event appends of concurrent callers, sent together (ADR 0008). A caller that finds no append of this store
 * in flight and nobody waiting appends alone, with the plain statement of {@code append-one.sql}, as if this class did
 * not exist: one thread never waits here. Callers that arrive while an append is in flight queue; when it ends, the
 * first of them takes up to {@link #MAX_BATCH} queued appends to
 * distinct streams and sends them as one statement ({@code append-to-streams}), one transaction and one commit for
 * all, and hands each caller its row. An append the statement did not make (its expectation does not hold, its stream
 * is deleted or absent, or its lock is held elsewhere), and every append of a statement that failed, goes back to
 * its own caller, which sends it alone, so every error and every idempotent answer comes from the same code as without
 * coalescing. Only when no connection can be had at all is that failure handed to every caller of the statement at
 * once (each gets its own copy), since each would wait for a connection in vain. A queued caller waits at most
 * {@link #PATIENCE_NANOS} for its turn and then appends alone: the append in flight may be a lone one waiting for a
 * stream's lock held by another transaction, and appends to other streams must not wait for that transaction. While
 * it waits, every other caller pays that delay and is not coalesced (a known cost; ADR 0008). Thread-safe.
 */
final class AppendCoalescer {

    /**
     * Statements in flight at once before callers queue (callers sent back to append alone, or out of patience, do
     * not check it, so more may be in flight). In short {@code AppendBenchmark} runs one gained most at 16 threads
     * (about 1.9× the appends per second without coalescing; two, three and four gained 1.2–1.7×) and lost about 17 %
     * at 4 threads; see docs/performance.md, "Coalesced single appends".
     */
    static final int MAX_IN_FLIGHT = 1;
    /** Appends per statement at most. */
    static final int MAX_BATCH = 64;
    /**
     * How long a queued caller waits to be taken into a statement before it appends alone: far above a statement's
     * usual time here (p99 about 6 ms at 16 threads), far below a lock held for a long transaction.
     */
    static final long PATIENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final DataSource dataSource;
    private final String sql;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private int inFlight;

    AppendCoalescer(DataSource dataSource, Sql sql) {
        this.dataSource = dataSource;
        this.sql = sql.appendToStreams;
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
        boolean interrupted = false;
        lock.lock();
        try {
            if (inFlight < MAX_IN_FLIGHT && waiting.isEmpty()) {
                inFlight++;
            } else {
                waiting.add(request);
                long deadline = System.nanoTime() + PATIENCE_NANOS;
                boolean outOfPatience = false;
                while (!request.done && !outOfPatience) {
                    if (inFlight < MAX_IN_FLIGHT && !waiting.isEmpty()) {
                        List<Request> batch = take();
                        inFlight++;
                        lock.unlock();
                        try {
                            send(batch);
                        } finally {
                            lock.lock();
                            inFlight--;
                            changed.signalAll();
                        }
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            // Still queued: go alone. Taken into a statement: wait for its answer (it waits for no
                            // stream's lock; only for a connection, or for another transaction's uncommitted row with
                            // the same event id).
                            outOfPatience = waiting.remove(request);
                            left = PATIENCE_NANOS;
                        }
                        if (!outOfPatience) {
                            try {
                                changed.awaitNanos(left); // not abandoned on interrupt: a leader may be sending it
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                    }
                }
                if (request.result != null) {
                    return Optional.of(new Appends.Outcome(request.result, false));
                }
                if (request.failure != null) {
                    throw forCaller(request.failure);
                }
                inFlight++; // not made with others: alone, like a caller that found the database idle
            }
        } finally {
            if (!request.done) {
                waiting.remove(request); // leaving on an Error: no statement may write it after its caller gave up
            }
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return alone.append();
        } finally {
            lock.lock();
            try {
                inFlight--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Under the lock: the oldest waiting appends, at most one per stream and {@link #MAX_BATCH} in all. */
    private List<Request> take() {
        List<Request> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
        Set<String> streams = new HashSet<>();
        for (Iterator<Request> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
            Request next = it.next();
            if (streams.add(next.streamId)) {
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
                        rows = appendTogether(used, batch);
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

    private Map<String, AppendResult> appendTogether(Connection connection, List<Request> batch) throws SQLException {
        int n = batch.size();
        String[] streams = new String[n];
        Short[] modes = new Short[n];
        Long[] expected = new Long[n];
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            Request request = batch.get(i);
            streams[i] = request.streamId;
            modes[i] = request.mode;
            expected[i] = request.expected;
            ids[i] = request.eventId;
            types[i] = request.type;
            payloads[i] = request.payload;
            metadata[i] = request.metadata;
        }
        Map<String, AppendResult> rows = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", streams));
            statement.setArray(2, connection.createArrayOf("int2", modes));
            statement.setArray(3, connection.createArrayOf("int8", expected));
            statement.setArray(4, connection.createArrayOf("uuid", ids));
            statement.setArray(5, connection.createArrayOf("text", types));
            statement.setArray(6, connection.createArrayOf("text", payloads));
            statement.setArray(7, connection.createArrayOf("text", metadata));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new AppendResult(rs.getLong(2), List.of(rs.getLong(3)), rs.getLong(4)));
                }
            }
        }
        return rows;
    }
}
