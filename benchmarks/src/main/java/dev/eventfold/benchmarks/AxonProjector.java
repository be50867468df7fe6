package dev.eventfold.benchmarks;

import dev.eventfold.orders.OrderEvent;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;

/**
 * Axon's side of the projection benchmarks: a {@link TrackingEventProcessor} over an {@link EmbeddedEventStore} on the
 * JDBC storage engine, with a {@link JdbcTokenStore} whose token updates share one JDBC transaction per batch with
 * the handler's read-model writes (Axon has no plain-JDBC transaction manager, so this small one binds a connection to
 * the processing thread, as Spring's would).
 */
final class AxonProjector {

    private final JdbcEventStorageEngine engine;
    private final Transactions transactions;
    private final JdbcTokenStore tokens;

    AxonProjector(DataSource pool, JdbcEventStorageEngine engine, Serializer serializer) {
        this.engine = engine;
        this.transactions = new Transactions(pool);
        this.tokens = JdbcTokenStore.builder().connectionProvider(transactions).serializer(serializer).build();
        transactions.executeInTransaction(() -> tokens.createSchema(PostgresTokenTableFactory.INSTANCE));
    }

    /**
     * Starts a processor named {@code name} and returns once its handler has applied {@code events} events and the
     * processor has shut down (committing its last batch).
     */
    void catchUp(String name, ReadModel model, long events, int batchSize) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong applied = new AtomicLong();
        EventMessageHandler handler = new EventMessageHandler() {
            @Override
            public Object handle(EventMessage<?> message) throws Exception {
                DomainEventMessage<?> domain = (DomainEventMessage<?>) message;
                if (model.buffered()) {
                    // Axon has no batch hook for handlers; the unit of work of a tracking batch is the place: flush
                    // the kept rows before it commits (after the token update, in the same transaction).
                    UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
                    unitOfWork.getOrComputeResource("benchmark-read-model", key -> {
                        model.discard();
                        unitOfWork.onPrepareCommit(u -> {
                            try {
                                model.flush(transactions.current());
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        return model;
                    });
                }
                model.apply(transactions.current(), domain.getAggregateIdentifier(), domain.getSequenceNumber(),
                        (OrderEvent) message.getPayload());
                if (applied.incrementAndGet() == events) {
                    done.countDown();
                }
                return null;
            }
        };
        run(name, handler, batchSize, () -> {
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Axon processor " + name + " did not catch up");
            }
        });
    }

    /** Runs a processor with {@code handler} until {@code body} returns. */
    void run(String name, EventMessageHandler handler, int batchSize, Body body) throws InterruptedException {
        EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(engine).build();
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handler).build())
                .messageSource(store)
                .tokenStore(tokens)
                .transactionManager(transactions)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration
                        .forSingleThreadedProcessing().andBatchSize(batchSize))
                .build();
        processor.start();
        try {
            body.run();
        } finally {
            processor.shutDown();
            store.shutDown();
        }
    }

    /** What runs while a processor is up. */
    interface Body {
        void run() throws InterruptedException;
    }

    /** A JDBC transaction manager binding one connection to the thread; the connection provider hands it out. */
    static final class Transactions implements TransactionManager, ConnectionProvider {
        private final DataSource pool;
        private final ThreadLocal<Connection> bound = new ThreadLocal<>();

        Transactions(DataSource pool) {
            this.pool = pool;
        }

        Connection current() {
            Connection connection = bound.get();
            if (connection == null) {
                throw new IllegalStateException("no transaction on this thread");
            }
            return connection;
        }

        @Override
        public Transaction startTransaction() {
            if (bound.get() != null) {
                return new Transaction() {
                    @Override
                    public void commit() {
                    }

                    @Override
                    public void rollback() {
                    }
                };
            }
            try {
                Connection connection = pool.getConnection();
                connection.setAutoCommit(false);
                bound.set(connection);
                return new Transaction() {
                    @Override
                    public void commit() {
                        end(connection, true);
                    }

                    @Override
                    public void rollback() {
                        end(connection, false);
                    }
                };
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private void end(Connection connection, boolean commit) {
            bound.remove();
            try (connection) {
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = bound.get();
            if (connection == null) {
                return pool.getConnection();
            }
            // The token store closes what it gets; the transaction's connection must stay open until commit.
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
