package dev.eventfold.eventstore.jdbi;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import java.sql.Connection;
import java.util.Objects;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a {@link JdbiProjection} into a {@link Projection} over JDBC connections, the kind the PostgreSQL projection
 * store runs. The entry point of this module.
 */
public final class JdbiProjections {

    private JdbiProjections() {
    }

    /**
     * @param projection the projection
     * @return a projection for a {@code ProjectionRunner<Connection>}
     */
    public static Projection<Connection> of(JdbiProjection projection) {
        return of(projection, jdbi -> {
        });
    }

    /**
     * @param projection the projection
     * @param configure configures the Jdbi the handles come from: plugins, mappers, argument factories
     * @return a projection for a {@code ProjectionRunner<Connection>}
     */
    public static Projection<Connection> of(JdbiProjection projection, Consumer<Jdbi> configure) {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(configure, "configure");
        return new Adapter(projection, configure);
    }

    /**
     * The adapter. Its Jdbi opens handles over the connection of the call in progress, which {@link #call} lends
     * to it for exactly the duration of the call on the calling thread; the handle never closes that connection, and
     * never commits or rolls it back (the runner owns the transaction).
     */
    private static final class Adapter implements Projection<Connection> {

        private final JdbiProjection projection;
        private final ThreadLocal<Connection> lent = new ThreadLocal<>();
        private final Jdbi jdbi;

        Adapter(JdbiProjection projection, Consumer<Jdbi> configure) {
            this.projection = projection;
            this.jdbi = Jdbi.create(new org.jdbi.v3.core.ConnectionFactory() {
                @Override
                public Connection openConnection() {
                    Connection connection = lent.get();
                    if (connection == null) {
                        throw new IllegalStateException("a JdbiProjection handle is only valid during its call");
                    }
                    return connection;
                }

                @Override
                public void closeConnection(Connection connection) {
                    // the runner's connection: it stays open, and its transaction stays the runner's
                }
            });
            jdbi.getConfig(Handles.class).setForceEndTransactions(false);
            configure.accept(jdbi);
        }

        @FunctionalInterface
        private interface Call {
            void run(Handle handle) throws Exception;
        }

        private void call(Connection connection, Call call) throws Exception {
            lent.set(connection);
            try (Handle handle = jdbi.open()) {
                call.run(handle);
            } finally {
                lent.remove();
            }
        }

        @Override
        public EventFilter filter() {
            return projection.filter();
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws Exception {
            call(context.transaction(), handle -> projection.apply(handle, event, context));
        }

        @Override
        public void flush(ProjectionContext<Connection> context) throws Exception {
            call(context.transaction(), handle -> projection.flush(handle, context));
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws Exception {
            call(context.transaction(), handle -> projection.reset(handle, context));
        }
    }
}
