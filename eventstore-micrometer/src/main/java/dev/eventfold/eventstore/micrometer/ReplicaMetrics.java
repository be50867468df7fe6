package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.ReplicaStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Meters of a PostgreSQL store's read replica (see {@code PostgresEventStore.Builder.readReplica}):
 * {@code eventstore.replica.lag.seconds} (the replica's replay lag, read at most once a second; NaN when it cannot be
 * told) and {@code eventstore.replica.reads{read, answered}}: {@code read=stream} with {@code answered} one of
 * {@code replica}, {@code replica_after_wait}, {@code primary}; {@code read=log} ({@code readAll} pages) with
 * {@code replica} or {@code primary}.
 * Binds nothing for a store without a read replica. Needs {@code eventstore-postgres} on the class path.
 */
public final class ReplicaMetrics {

    private ReplicaMetrics() {
    }

    /**
     * @param store the store
     * @param registry where the meters go
     * @param tags extra tags, e.g. {@code store=orders}
     * @return whether the store has a read replica (and meters were bound)
     * @throws InvalidRequestException if an argument is null
     */
    public static boolean bind(PostgresEventStore store, MeterRegistry registry, Tag... tags) {
        if (store == null || registry == null || tags == null) {
            throw new InvalidRequestException("store, registry and tags must not be null");
        }
        if (store.replicaStats().isEmpty()) {
            return false;
        }
        Throttled<Optional<Duration>> lag = new Throttled<>(store::replicaLag);
        Gauge.builder("eventstore.replica.lag.seconds", lag, l -> l.get(value -> value.map(d -> d.toMillis() / 1000.0)
                .orElse(Double.NaN))).description("How far the read replica's replay is behind the primary")
                .tags(Tags.of(tags)).strongReference(true).register(registry);
        reads(registry, store, tags, "stream", "replica", ReplicaStats::fromReplica);
        reads(registry, store, tags, "stream", "replica_after_wait", ReplicaStats::afterWaiting);
        reads(registry, store, tags, "stream", "primary", ReplicaStats::fromPrimary);
        reads(registry, store, tags, "log", "replica", ReplicaStats::logPagesFromReplica);
        reads(registry, store, tags, "log", "primary", ReplicaStats::logPagesFromPrimary);
        return true;
    }

    private static void reads(MeterRegistry registry, PostgresEventStore store, Tag[] tags, String read,
            String answered, ToLongFunction<ReplicaStats> count) {
        FunctionCounter.builder("eventstore.replica.reads", store, s -> s.replicaStats().map(count::applyAsLong)
                .orElse(0L)).description("Reads of a store with a read replica (stream reads, log pages), by who "
                + "answered").tags(Tags.of(tags)).tag("read", read).tag("answered", answered).register(registry);
    }
}
