package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.ReaderHorizon;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of a PostgreSQL store's reader horizon (what holds subscriptions and projections back; see
 * {@code docs/adr/0002-gap-safety.md}): {@code eventstore.reader.horizon.events.held.back} and
 * {@code eventstore.reader.horizon.lag.seconds}. The horizon is read at most once a second whatever the scrape rate.
 * Needs {@code eventstore-postgres} on the class path (an optional dependency of this module).
 */
public final class ReaderHorizonMetrics {

    private ReaderHorizonMetrics() {
    }

    /**
     * @param store the store
     * @param registry where the gauges go
     * @param tags extra tags, e.g. {@code store=orders}
     * @throws InvalidRequestException if an argument is null
     */
    public static void bind(PostgresEventStore store, MeterRegistry registry, Tag... tags) {
        if (store == null || registry == null || tags == null) {
            throw new InvalidRequestException("store, registry and tags must not be null");
        }
        Throttled<ReaderHorizon> horizon = new Throttled<>(store::readerHorizon);
        gauge(registry, "eventstore.reader.horizon.events.held.back", "Committed events readers cannot see yet "
                + "because of an older open transaction", tags, horizon, h -> h.eventsHeldBack());
        gauge(registry, "eventstore.reader.horizon.lag.seconds", "How long the oldest held-back event has waited",
                tags, horizon, h -> h.lag(Instant.now()).toMillis() / 1000.0);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tag[] tags,
            Throttled<ReaderHorizon> horizon, ToDoubleFunction<ReaderHorizon> value) {
        Gauge.builder(name, horizon, h -> h.get(value)).description(description).tags(Tags.of(tags))
                .strongReference(true).register(registry);
    }
}
