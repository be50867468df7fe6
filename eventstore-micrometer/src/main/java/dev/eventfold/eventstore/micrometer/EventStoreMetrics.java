package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters for an application's event store, bound through the library's listener hooks. Give each hook to
 * the builder it belongs to:
 *
 * <pre>{@code
 * EventStoreMetrics metrics = EventStoreMetrics.of(registry);
 * PostgresEventStore store = PostgresEventStore.builder(pool).appendListener(metrics.appends()).build();
 * AggregateRepository<...> orders = AggregateRepository.builder(store, ...).listener(metrics.loads("order")).build();
 * ProjectionRunner<?> runner = ProjectionRunner.builder(store, projections, "order-summary", projection)
 *         .listener(metrics.projections()).build();
 * metrics.bindLag(runner);
 * ReaderHorizonMetrics.bind(store, registry); // PostgreSQL only
 * }</pre>
 *
 * <p>Meter names, units and tags are listed in {@code docs/observability.md}. Histograms and percentiles are off by
 * default, as everywhere in Micrometer; switch them on with a {@code MeterFilter} on the registry. Category tags are
 * capped at {@value CategoryTags#MAX_CATEGORIES} distinct values ({@code other} beyond), so stream ids without a
 * category prefix cannot flood the registry.
 *
 * <p>Immutable and thread-safe; the hooks may be shared by any number of stores, repositories and runners.
 */
public final class EventStoreMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final CategoryTags categories = new CategoryTags();

    private EventStoreMetrics(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /**
     * @param registry where the meters go
     * @return meters with no extra tags
     * @throws InvalidRequestException if the registry is null
     */
    public static EventStoreMetrics of(MeterRegistry registry) {
        return of(registry, Tags.empty());
    }

    /**
     * @param registry where the meters go
     * @param tags tags added to every meter, e.g. {@code store=orders} when an application has two stores
     * @return meters with those tags
     * @throws InvalidRequestException if an argument is null
     */
    public static EventStoreMetrics of(MeterRegistry registry, Iterable<io.micrometer.core.instrument.Tag> tags) {
        if (registry == null || tags == null) {
            throw new InvalidRequestException("registry and tags must not be null");
        }
        return new EventStoreMetrics(registry, Tags.of(tags));
    }

    /**
     * @return the hook for a store's builder: {@code eventstore.append.duration} by category and outcome
     *     ({@code appended}, {@code replayed}, {@code conflict}, {@code duplicate}, {@code deleted}, {@code invalid},
     *     {@code unavailable}), {@code eventstore.append.events} and {@code eventstore.append.payload.size}
     */
    public AppendListener appends() {
        return new AppendMeters(registry, tags, categories);
    }

    /**
     * @param aggregate the aggregate's name, the {@code aggregate} tag (e.g. {@code order})
     * @return the hook for an aggregate repository's builder: {@code eventstore.load.duration} (by {@code source},
     *     {@code snapshot} or {@code events}), {@code eventstore.load.events}, {@code eventstore.cache.requests} (by
     *     {@code result}), {@code eventstore.snapshots} (by {@code outcome}) and {@code eventstore.aggregate.conflicts}
     * @throws InvalidRequestException if the name is null or blank
     */
    public AggregateListener loads(String aggregate) {
        if (aggregate == null || aggregate.isBlank()) {
            throw new InvalidRequestException("aggregate must not be blank");
        }
        return new LoadMeters(registry, tags.and("aggregate", aggregate));
    }

    /**
     * @return the hook for a projection runner's builder: {@code eventstore.projection.events} (by
     *     {@code event_type} and {@code outcome}), {@code eventstore.projection.event.duration},
     *     {@code eventstore.projection.batch.duration}, {@code eventstore.projection.batch.events} and
     *     {@code eventstore.projection.dead.letters}, each tagged with the projection and its version
     */
    public ProjectionListener projections() {
        return new ProjectionMeters(registry, tags);
    }

    /**
     * Gauges of a runner's status, read at most once a second whatever the scrape rate:
     * {@code eventstore.projection.lag.events}, {@code eventstore.projection.lag.seconds} and
     * {@code eventstore.projection.dead.letters.pending}.
     *
     * @param runner the runner
     * @throws InvalidRequestException if the runner is null
     */
    public void bindLag(ProjectionRunner<?> runner) {
        if (runner == null) {
            throw new InvalidRequestException("runner must not be null");
        }
        ProjectionMeters.bindLag(registry, tags, runner);
    }
}
