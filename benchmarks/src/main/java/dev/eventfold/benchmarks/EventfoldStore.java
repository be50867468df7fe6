package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.postgres.PipelinedProjection;
import dev.eventfold.eventstore.postgres.PipelinedWrites;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.postgres.PostgresSnapshotStore;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Eventfold: {@link PostgresEventStore} appends (one round trip, exact expected version, idempotency check, NOTIFY)
 * and {@link AggregateRepository} loads, with snapshots every 100 events and the cache on or off.
 */
final class EventfoldStore implements BenchmarkStore {

    private final HikariDataSource pool;
    private final String schema = BenchmarkDatabase.newSchemaName("eventfold");
    private final PostgresEventStore store;
    private final PostgresSnapshotStore snapshots;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final boolean snapshotting;
    private final AtomicReference<LogPosition> last = new AtomicReference<>();

    EventfoldStore(boolean snapshotting, boolean cache) {
        this.snapshotting = snapshotting;
        pool = BenchmarkDatabase.pool(32, null);
        PostgresEventStoreMigrator.migrate(pool, schema);
        BenchmarkDatabase.dropSecondaryIndexesIfAsked(pool, schema);
        store = PostgresEventStore.builder(pool).schema(schema).build();
        snapshots = PostgresSnapshotStore.create(pool, schema);
        AggregateRepository.Builder<OrderCommand, Order, OrderEvent> builder = AggregateRepository
                .builder(store, Orders.DECIDER, Orders.EVENT_TYPES).category(Orders.CATEGORY);
        if (snapshotting) {
            builder.snapshots(snapshots, Orders.STATE_CODEC, SnapshotPolicy.defaults());
        }
        if (cache) {
            builder.cache(10_000);
        }
        orders = builder.build();
    }

    @Override
    public void append(String orderId, long expectedVersion, List<OrderEvent> events) {
        List<EventData> data = new ArrayList<>(events.size());
        for (OrderEvent event : events) {
            data.add(Orders.EVENT_TYPES.toEventData(event, Metadata.empty()));
        }
        AppendResult result = store.append(Orders.CATEGORY + "-" + orderId, expectedVersion < 0
                ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expectedVersion), data);
        last.accumulateAndGet(result.lastLogPosition(), (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
        if (snapshotting) {
            // What the repository's policy does after appends through it: a snapshot every 100 events.
            long last = expectedVersion + events.size();
            long boundary = (last + 1) / 100 * 100 - 1;
            if (boundary > expectedVersion) {
                Order state = orders.loadAtVersion(orderId, boundary).orElseThrow().state();
                snapshots.save(new Snapshot(Orders.CATEGORY + "-" + orderId, boundary,
                        Orders.STATE_CODEC.schemaVersion(), Orders.STATE_CODEC.serialize(state), Instant.now()));
            }
        }
    }

    @Override
    public Order load(String orderId) {
        return orders.load(orderId).state();
    }

    @Override
    public void catchUp(String name, ReadModel model, long events, int batchSize) throws InterruptedException {
        Projection<Connection> projection = new Projection<>() {
            private ProjectionContext<Connection> buffering; // the attempt whose rows the model keeps (batched)

            @Override
            public EventFilter filter() {
                return EventFilter.category(Orders.CATEGORY);
            }

            @Override
            public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws SQLException {
                if (buffering != context) {
                    model.discard(); // rows of an attempt that rolled back
                    buffering = context;
                }
                model.apply(context.transaction(), event.streamId().substring(Orders.CATEGORY.length() + 1),
                        event.streamVersion(), Orders.EVENT_TYPES.fromRecorded(event));
            }

            @Override
            public void flush(ProjectionContext<Connection> context) throws SQLException {
                model.flush(context.transaction());
            }
        };
        Projection<Connection> pipelined = PipelinedWrites.projection(new PipelinedProjection() {
            @Override
            public EventFilter filter() {
                return EventFilter.category(Orders.CATEGORY);
            }

            @Override
            public void apply(PipelinedWrites writes, RecordedEvent event, ProjectionContext<Connection> context) {
                writes.add(model.upsert(), ReadModel.parameters(event.streamId().substring(Orders.CATEGORY.length()
                        + 1), event.streamVersion(), Orders.EVENT_TYPES.fromRecorded(event)));
            }
        });
        try (ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                PostgresProjectionStore.create(pool, schema), name, model.pipelined() ? pipelined : projection)
                .batchSize(batchSize).build()) {
            runner.start();
            if (!runner.awaitPosition(last.get(), Duration.ofMinutes(30))) {
                throw new IllegalStateException("projection " + name + " did not catch up: " + runner.status());
            }
        }
    }

    /** @return the store, for the live benchmark's subscriber */
    PostgresEventStore store() {
        return store;
    }

    @Override
    public javax.sql.DataSource dataSource() {
        return pool;
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        orders.close();
        store.close();
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
        pool.close();
    }
}
