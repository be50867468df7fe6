package dev.eventfold.server.readmodel;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where read-model queries go. Without a read replica, the primary. With one ({@code DB_REPLICA_HOST}), the replica
 * when its copy of the read models is at least as far as the primary's checkpoint when the query arrives: whatever a
 * command's {@code Prefer: read-your-writes} or a list's {@code minPosition} waited for is on the primary by then, so
 * no promise a client was given is broken by replication lag. A replica behind that is asked again (2 ms doubling to
 * 50 ms) until {@code maxWait}, then the primary answers; a replica that cannot be reached, or that fails the query
 * (e.g. a rebuilt version's tables not replayed yet), is skipped for the primary. Thread-safe.
 */
public final class ReadModelSource {

    private static final Logger LOG = LoggerFactory.getLogger(ReadModelSource.class);

    private final Jdbi primary;
    private final ProjectionStore<?> primaryCheckpoints;
    private final Jdbi replica;
    private final ProjectionStore<?> replicaCheckpoints;
    private final Duration maxWait;
    private final LongAdder fromReplica = new LongAdder();
    private final LongAdder fromPrimary = new LongAdder();

    private ReadModelSource(Jdbi primary, ProjectionStore<?> primaryCheckpoints, Jdbi replica,
            ProjectionStore<?> replicaCheckpoints, Duration maxWait) {
        this.primary = primary;
        this.primaryCheckpoints = primaryCheckpoints;
        this.replica = replica;
        this.replicaCheckpoints = replicaCheckpoints;
        this.maxWait = maxWait;
    }

    /**
     * @param primary Jdbi over the primary's pool
     * @return a source that always queries the primary
     */
    public static ReadModelSource primary(Jdbi primary) {
        return new ReadModelSource(primary, null, null, null, Duration.ZERO);
    }

    /**
     * @param primary Jdbi over the primary's pool
     * @param primaryCheckpoints the projection store on the primary (where the read models' checkpoint moves)
     * @param replica Jdbi over the read replica's pool
     * @param replicaCheckpoints a projection store on the replica (only its checkpoints are read)
     * @param maxWait how long a query waits for the replica to catch up before the primary answers
     * @return a source that queries the replica when it is fresh enough
     */
    public static ReadModelSource withReplica(Jdbi primary, ProjectionStore<?> primaryCheckpoints, Jdbi replica,
            ProjectionStore<?> replicaCheckpoints, Duration maxWait) {
        return new ReadModelSource(primary, primaryCheckpoints, replica, replicaCheckpoints, maxWait);
    }

    /** A query on one database. */
    @FunctionalInterface
    interface Work<T> {
        T run(Jdbi jdbi);
    }

    /** Runs {@code work} on the replica when it holds version {@code version} at least as fresh, else the primary. */
    <T> T query(int version, Work<T> work) {
        if (replica != null && replicaIsFresh(version)) {
            try {
                T answer = work.run(replica);
                fromReplica.increment();
                return answer;
            } catch (JdbiException e) {
                LOG.debug("read-model query failed on the replica, asking the primary: {}", e.toString());
            }
        }
        if (replica != null) {
            fromPrimary.increment();
        }
        return work.run(primary);
    }

    private boolean replicaIsFresh(int version) {
        try {
            LogPosition required = primaryCheckpoints.checkpoint(OrderReadModels.NAME, version);
            long deadline = System.nanoTime() + maxWait.toNanos();
            long pauseMillis = 2;
            while (replicaCheckpoints.checkpoint(OrderReadModels.NAME, version).compareTo(required) < 0) {
                if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    return false;
                }
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(50, pauseMillis * 2);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.debug("read-model checkpoints unreadable, asking the primary: {}", e.toString());
            return false;
        }
    }

    /** @return read-model queries the replica answered */
    public long answeredByReplica() {
        return fromReplica.sum();
    }

    /** @return read-model queries the primary answered although a replica is configured */
    public long answeredByPrimary() {
        return fromPrimary.sum();
    }

    /** @return whether a read replica is configured */
    public boolean hasReplica() {
        return replica != null;
    }
}
