package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.aggregate.AggregateListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Meters of an aggregate repository; see {@link EventStoreMetrics#loads(String)}. */
final class LoadMeters implements AggregateListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter hits;
    private final Counter misses;
    private final Counter conflicts;

    LoadMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        this.hits = cache("hit");
        this.misses = cache("miss");
        this.conflicts = Counter.builder("eventstore.aggregate.conflicts")
                .description("Commands decided again because another writer appended first").tags(tags)
                .register(registry);
    }

    private Counter cache(String result) {
        return Counter.builder("eventstore.cache.requests").description("Aggregate cache lookups by result")
                .tags(tags).tag("result", result).register(registry);
    }

    @Override
    public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
        Timer.builder("eventstore.load.duration").description("Time to rebuild an aggregate from the store")
                .tags(tags).tag("source", fromSnapshot ? "snapshot" : "events").register(registry).record(took);
        DistributionSummary.builder("eventstore.load.events").description("Events folded per load")
                .baseUnit("events").tags(tags).register(registry).record(eventsReplayed);
    }

    @Override
    public void cacheHit(String streamId) {
        hits.increment();
    }

    @Override
    public void cacheMiss(String streamId) {
        misses.increment();
    }

    @Override
    public void conflict(String streamId, int attempt) {
        conflicts.increment();
    }

    @Override
    public void snapshotWritten(String streamId, long version) {
        snapshot("written");
    }

    @Override
    public void snapshotIgnored(String streamId, int snapshotSchemaVersion, String reason) {
        snapshot("ignored");
    }

    @Override
    public void snapshotFailed(String streamId, long version, Throwable error) {
        snapshot("failed");
    }

    private void snapshot(String outcome) {
        Counter.builder("eventstore.snapshots").description("Snapshots by outcome").tags(tags)
                .tag("outcome", outcome).register(registry).increment();
    }
}
