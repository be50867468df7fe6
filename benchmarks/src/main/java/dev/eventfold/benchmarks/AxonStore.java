package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.serialization.EventfoldJson;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The peer: Axon Framework 4.13's {@code JdbcEventStorageEngine} on its own PostgreSQL schema, with a
 * {@code JacksonSerializer} over the same Jackson settings, appending {@code GenericDomainEventMessage}s with the
 * exact sequence number (its unique index is the concurrency check) and reading {@code readEvents(aggregateId)},
 * deserializing every payload and folding with the same decider.
 */
final class AxonStore implements BenchmarkStore {

    private final HikariDataSource pool;
    private final HikariDataSource setup;
    private final String schema = BenchmarkDatabase.newSchemaName("axon");
    private final JdbcEventStorageEngine engine;
    private final JacksonSerializer serializer;
    private AxonProjector projector;

    AxonStore() {
        setup = BenchmarkDatabase.pool(2, null);
        BenchmarkDatabase.execute(setup, "CREATE SCHEMA " + schema);
        pool = BenchmarkDatabase.pool(32, schema);
        serializer = JacksonSerializer.builder().objectMapper(EventfoldJson.newMapper()).build();
        engine = JdbcEventStorageEngine.builder().connectionProvider(new DataSourceConnectionProvider(pool))
                .transactionManager(NoTransactionManager.INSTANCE).eventSerializer(serializer)
                .snapshotSerializer(serializer).build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
    }

    @Override
    public void append(String orderId, long expectedVersion, List<OrderEvent> events) {
        List<DomainEventMessage<?>> messages = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            messages.add(new GenericDomainEventMessage<>("Order", orderId, expectedVersion + 1 + i, events.get(i)));
        }
        engine.appendEvents(messages);
    }

    @Override
    public Order load(String orderId) {
        Order order = Order.none();
        DomainEventStream stream = engine.readEvents(orderId);
        while (stream.hasNext()) {
            order = Orders.evolve(order, (OrderEvent) stream.next().getPayload());
        }
        return order;
    }

    @Override
    public void catchUp(String name, ReadModel model, long events, int batchSize) throws InterruptedException {
        projector().catchUp(name, model, events, batchSize);
    }

    synchronized AxonProjector projector() {
        if (projector == null) {
            projector = new AxonProjector(pool, engine, serializer);
        }
        return projector;
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
        pool.close();
        BenchmarkDatabase.execute(setup, "DROP SCHEMA " + schema + " CASCADE");
        setup.close();
    }
}
