package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The writes one event makes to a read model, queued and sent to PostgreSQL with the rest of its batch when the batch
 * ends. A projection written one statement per event, as most are, then costs one round trip per batch instead of one
 * per event: the statements go out as JDBC batches (pipelined by the driver), in the transaction that also moves the
 * checkpoint, just before it commits. Make one with {@link #projection}:
 *
 * <pre>{@code
 * ProjectionRunner.builder(store, PostgresProjectionStore.create(dataSource, schema), "order-totals",
 *         PipelinedWrites.projection(new PipelinedProjection() {
 *             public EventFilter filter() {
 *                 return EventFilter.category("order");
 *             }
 *
 *             public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) {
 *                 writes.add("INSERT INTO order_totals VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET "
 *                         + "total = excluded.total", event.streamId(), totalOf(event));
 *             }
 *
 *             public void reset(ProjectionContext<Connection> context) throws SQLException {
 *                 ... // CREATE TABLE IF NOT EXISTS order_totals ...; TRUNCATE order_totals
 *             }
 *         }))
 *     .build().start();
 * }</pre>
 *
 * <p>The statements run in the order they were added. Consecutive statements with the same SQL share one JDBC batch,
 * so a projection that writes with one statement (an upsert, say) sends a whole batch of events together; one that
 * alternates between statements sends one JDBC batch per run of equal SQL, still in order.
 *
 * <p>An {@code INSERT … ON CONFLICT … DO UPDATE} is sent behind an empty {@code WITH}, so that pgjdbc's
 * {@code reWriteBatchedInserts} cannot merge several into one multi-row statement, which may not update a row twice.
 *
 * <p>What a handler reads in {@code apply} (through {@code context.transaction()}) does not yet include the writes
 * queued earlier in the same batch, and what it writes there directly runs before them. A projection whose writes
 * depend on reading its own rows back, or that mixes direct and queued writes to the same rows, should write directly
 * instead (a plain {@link Projection}).
 *
 * <p>When a queued statement fails, the batch fails without naming an event; the runner then applies that batch again
 * one event per transaction, which finds the event whose statement fails, and retries, dead-letters or stops at it by
 * its policies, as for any failing event. Statements of a transaction attempt that rolled back are never sent with a
 * later one. Instances are made by the adapter, one per transaction attempt, and are not safe to keep beyond the call
 * they are passed to.
 */
public final class PipelinedWrites {

    /** An INSERT (after any comments) with an ON CONFLICT … DO UPDATE. */
    private static final Pattern UPSERT = Pattern.compile(
            "(\\s|/\\*(?:[^*]|\\*(?!/))*+\\*/|--[^\\n]*\\n)*+insert\\s.*\\bdo\\s+update\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final ProjectionContext<Connection> attempt;
    private final List<Statement> queued = new ArrayList<>();

    private PipelinedWrites(ProjectionContext<Connection> attempt) {
        this.attempt = attempt;
    }

    /**
     * Adapts a projection that queues its writes.
     *
     * @param projection the projection
     * @return a projection for a {@code ProjectionRunner<Connection>} over a {@link PostgresProjectionStore}
     */
    public static Projection<Connection> projection(PipelinedProjection projection) {
        return new Adapter(Objects.requireNonNull(projection, "projection"));
    }

    /**
     * Queues a statement, to be sent when the batch ends.
     *
     * @param sql the SQL, with {@code ?} placeholders
     * @param parameters one value per placeholder, each as {@link PreparedStatement#setObject(int, Object)} takes it
     *     ({@code null} for SQL NULL)
     * @throws IllegalArgumentException if the SQL is blank
     */
    public void add(String sql, Object... parameters) {
        Objects.requireNonNull(sql, "sql");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("the SQL of a pipelined write is blank");
        }
        queued.add(new Statement(sql, parameters == null ? new Object[] {null} : parameters.clone()));
    }

    /** @return the number of statements queued and not yet sent */
    public int size() {
        return queued.size();
    }

    /** Sends the queued statements in order, one JDBC batch per run of equal SQL, and empties the queue. */
    private void send(Connection connection) throws SQLException {
        int from = 0;
        try {
            while (from < queued.size()) {
                String sql = queued.get(from).sql();
                int to = from;
                while (to < queued.size() && queued.get(to).sql().equals(sql)) {
                    to++;
                }
                try (PreparedStatement statement = connection.prepareStatement(unmerged(sql))) {
                    for (Statement queuedStatement : queued.subList(from, to)) {
                        queuedStatement.bind(statement);
                        if (to - from > 1) {
                            statement.addBatch();
                        }
                    }
                    if (to - from > 1) {
                        statement.executeBatch();
                    } else {
                        statement.executeUpdate();
                    }
                }
                from = to;
            }
        } finally {
            queued.clear();
        }
    }

    /**
     * pgjdbc's {@code reWriteBatchedInserts} (on in {@link PostgresPool}) merges a batch of {@code INSERT}s into one
     * multi-row statement, in which an {@code ON CONFLICT … DO UPDATE} may not touch one row twice: one event's upsert
     * after another's on the same row would fail. The driver merges only statements that begin with {@code INSERT}, so
     * such an upsert is sent behind an empty {@code WITH}, which changes nothing else.
     */
    static String unmerged(String sql) {
        return UPSERT.matcher(sql).lookingAt() ? "WITH pipelined AS (SELECT) " + sql : sql;
    }

    private record Statement(String sql, Object[] parameters) {
        void bind(PreparedStatement statement) throws SQLException {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    /**
     * Keeps one {@link PipelinedWrites} per transaction attempt: the runner passes one new context instance to every
     * call of an attempt, so a context that differs from the one the queue was made under starts a new queue, and
     * statements of an attempt that rolled back are dropped. Per thread, so that one adapter can serve runners on
     * several threads.
     */
    private static final class Adapter implements Projection<Connection> {

        private final PipelinedProjection projection;
        private final ThreadLocal<PipelinedWrites> current = new ThreadLocal<>();

        Adapter(PipelinedProjection projection) {
            this.projection = projection;
        }

        @Override
        public EventFilter filter() {
            return projection.filter();
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws Exception {
            PipelinedWrites writes = current.get();
            if (writes == null || writes.attempt != context) {
                writes = new PipelinedWrites(context);
                current.set(writes);
            }
            try {
                projection.apply(writes, event, context);
            } catch (Exception | Error e) {
                current.remove(); // the runner rolls this attempt back and starts a new one
                throw e;
            }
        }

        @Override
        public void flush(ProjectionContext<Connection> context) throws Exception {
            PipelinedWrites writes = current.get();
            current.remove();
            if (writes != null && writes.attempt == context) {
                writes.send(context.transaction());
            }
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws Exception {
            current.remove();
            projection.reset(context);
        }
    }
}
