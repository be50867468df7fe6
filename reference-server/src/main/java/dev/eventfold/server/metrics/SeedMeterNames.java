package dev.eventfold.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Gives the meters of {@code eventstore-micrometer} that the seed names their seed names and label sets, so
 * dashboards and alerts keep working (the seed's names win where an operator meets them), and sets their buckets.
 * Every other library meter keeps its {@code eventstore_} name and tags.
 */
final class SeedMeterNames implements MeterFilter {

    static final Duration[] EVENT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};
    static final Duration[] RECONSTRUCTION_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5)};

    /** Library name → seed name, and the library tags each keeps (renamed where the seed says so). */
    private record Seed(String name, Map<String, String> keptTags) {
    }

    private static final Map<String, Seed> SEED = Map.of(
            "eventstore.load.duration", new Seed("order.reconstruction.duration", Map.of()),
            "eventstore.projection.events", new Seed("events.processed",
                    Map.of("event_type", "event_type", "outcome", "status")),
            "eventstore.projection.event.duration", new Seed("event.processing.duration",
                    Map.of("event_type", "event_type")),
            "eventstore.projection.lag.events", new Seed("projection.lag.events", Map.of("projection", "projection")),
            "eventstore.projection.lag.seconds", new Seed("projection.lag.seconds",
                    Map.of("projection", "projection")));

    private static final Set<String> HISTOGRAMS = Set.of("order.reconstruction.duration", "event.processing.duration");

    @Override
    public Meter.Id map(Meter.Id id) {
        Seed seed = SEED.get(id.getName());
        if (seed == null) {
            return id;
        }
        Tags kept = Tags.empty();
        for (Tag tag : id.getTagsAsIterable()) {
            String renamed = seed.keptTags().get(tag.getKey());
            if (renamed != null) {
                kept = kept.and(renamed, tag.getValue());
            }
        }
        return id.withName(seed.name()).replaceTags(kept);
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HISTOGRAMS.contains(id.getName())) {
            return config;
        }
        Duration[] buckets = id.getName().equals("order.reconstruction.duration") ? RECONSTRUCTION_BUCKETS
                : EVENT_BUCKETS;
        double[] nanos = Arrays.stream(buckets).mapToDouble(Duration::toNanos).toArray();
        return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
    }
}
