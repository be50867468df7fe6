package dev.eventfold.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.serialization.EventfoldJson;
import dev.eventfold.orders.Orders;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The other process of {@link ProjectionLiveBenchmark}: subscribes to a store's order events the way its kind does in
 * production and prints {@code @@<order id>} on standard output as soon as its handler sees an event (after
 * {@code @@ready} once it listens). It runs until its standard input closes.
 *
 * <pre>java -cp benchmarks.jar dev.eventfold.benchmarks.LiveSubscriber eventstore|floor|axon &lt;schema&gt;</pre>
 */
public final class LiveSubscriber {

    private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

    private LiveSubscriber() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String schema = args[1];
        Thread stopper = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; end of input means it is gone
                }
            } catch (java.io.IOException ignored) {
                // same: the parent is gone
            }
            System.exit(0);
        });
        stopper.setDaemon(true);
        stopper.start();
        switch (kind) {
            case "eventstore" -> eventstore(schema);
            case "floor" -> floor(schema);
            case "axon" -> axon(schema);
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static synchronized void seen(String orderId) {
        OUT.println("@@" + orderId);
        OUT.flush();
    }

    private static void ready() {
        seen("ready");
    }

    private static void eventstore(String schema) throws InterruptedException {
        HikariDataSource pool = BenchmarkDatabase.pool(4, null);
        PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
        Subscription subscription = store.subscribe(LogPosition.START, EventFilter.category(Orders.CATEGORY),
                event -> seen(event.streamId().substring(Orders.CATEGORY.length() + 1)));
        Thread.sleep(1_000); // the listener connection is up
        ready();
        new CountDownLatch(1).await();
        subscription.close();
    }

    /** Raw JDBC: LISTEN on the floor's channel, read new rows by global position on every notification. */
    private static void floor(String schema) throws Exception {
        HikariDataSource pool = BenchmarkDatabase.pool(2, null);
        try (Connection connection = pool.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + FloorStore.CHANNEL);
            }
            org.postgresql.PGConnection pg = connection.unwrap(org.postgresql.PGConnection.class);
            long last = 0;
            ready();
            try (PreparedStatement read = connection.prepareStatement("SELECT global_position, stream_id FROM "
                    + schema + ".events WHERE global_position > ? ORDER BY global_position")) {
                while (true) {
                    pg.getNotifications(1_000);
                    read.setLong(1, last);
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            last = rs.getLong(1);
                            seen(rs.getString(2).substring("order-".length()));
                        }
                    }
                }
            }
        }
    }

    /** Axon: a tracking processor in this process, on the same tables, with its default fetch delay. */
    private static void axon(String schema) throws InterruptedException {
        HikariDataSource pool = BenchmarkDatabase.pool(4, schema);
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventfoldJson.newMapper()).build();
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new DataSourceConnectionProvider(pool))
                .transactionManager(NoTransactionManager.INSTANCE).eventSerializer(serializer)
                .snapshotSerializer(serializer).build();
        AxonProjector projector = new AxonProjector(pool, engine, serializer);
        EventMessageHandler handler = message -> {
            seen(((DomainEventMessage<?>) message).getAggregateIdentifier());
            return null;
        };
        projector.run("live", handler, 1, () -> {
            Thread.sleep(2_000);
            ready();
            new CountDownLatch(1).await();
        });
    }

}
