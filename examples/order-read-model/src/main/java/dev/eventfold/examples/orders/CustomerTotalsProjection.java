package dev.eventfold.examples.orders;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.jdbi.JdbiProjection;
import dev.eventfold.eventstore.jdbi.JdbiProjections;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.examples.orders.OrderEvent.OrderPlaced;
import java.sql.Connection;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

/**
 * Orders and money per customer, in a PostgreSQL table per read-model version ({@code customer_totals_v1},
 * {@code customer_totals_v2}). Written through a Jdbi handle over the runner's own transaction: the rows and the
 * runner's checkpoint commit together, so every event counts exactly once.
 *
 * <ul>
 *   <li>Version 1 counts placed orders and ignores cancellations (the bug).</li>
 *   <li>Version 2 adds a {@code cancelled} column and takes cancelled orders out of {@code orders} and
 *       {@code total}. Starting a runner with {@code version(2)} builds its table beside version 1, which keeps serving
 *       until version 2 has caught up and activates itself.</li>
 * </ul>
 */
public final class CustomerTotalsProjection implements JdbiProjection {

    /** The projection's stable name: checkpoints, leases and the active version are kept under it. */
    public static final String NAME = "customer-totals";

    private final String schema;

    /** @param schema where the read-model tables go */
    public CustomerTotalsProjection(String schema) {
        this.schema = schema;
    }

    /**
     * A runner for one version of this projection. Start it in every replica: one leads, the others stand by.
     *
     * @param store the event store
     * @param dataSource the database of the event store and of the read model
     * @param schema the event store's schema, which also holds the read-model tables
     * @param version the read-model version to build and serve
     * @return the runner, not started
     */
    public static ProjectionRunner<Connection> runner(EventStore store, DataSource dataSource, String schema,
            int version) {
        return ProjectionRunner.builder(store, PostgresProjectionStore.create(dataSource, schema), NAME,
                        JdbiProjections.of(new CustomerTotalsProjection(schema)))
                .version(version)
                .build();
    }

    /**
     * @param schema the schema
     * @param version a read-model version
     * @return the qualified name of that version's table
     */
    public static String table(String schema, int version) {
        return schema + ".customer_totals_v" + version;
    }

    @Override
    public EventFilter filter() {
        return EventFilter.category(Orders.CATEGORY);
    }

    /** Creates (or empties) this version's table. Runs before a version is first built, in the runner's transaction. */
    @Override
    public void reset(Handle handle, ProjectionContext<Connection> context) {
        String table = table(schema, context.version());
        String cancelled = context.version() >= 2 ? ", cancelled bigint NOT NULL DEFAULT 0" : "";
        handle.execute("CREATE TABLE IF NOT EXISTS " + table
                + " (customer_id text PRIMARY KEY, orders bigint NOT NULL, total numeric NOT NULL" + cancelled + ")");
        handle.execute("TRUNCATE " + table);
    }

    @Override
    public void apply(Handle handle, RecordedEvent recorded, ProjectionContext<Connection> context) {
        String table = table(schema, context.version());
        OrderEvent event = Orders.TYPES.fromRecorded(recorded);
        if (event instanceof OrderPlaced) {
            handle.createUpdate("INSERT INTO " + table + " AS t (customer_id, orders, total) VALUES (:customer, 1, "
                            + ":total) ON CONFLICT (customer_id) DO UPDATE SET orders = t.orders + 1, "
                            + "total = t.total + excluded.total")
                    .bind("customer", event.customerId())
                    .bind("total", event.total())
                    .execute();
        } else if (context.version() >= 2) {
            handle.createUpdate("UPDATE " + table + " SET orders = orders - 1, cancelled = cancelled + 1, "
                            + "total = total - :total WHERE customer_id = :customer")
                    .bind("customer", event.customerId())
                    .bind("total", event.total())
                    .execute();
        }
        // Version 1 never looked at cancellations.
    }
}
