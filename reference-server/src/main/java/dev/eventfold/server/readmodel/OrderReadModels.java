package dev.eventfold.server.readmodel;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.eventfold.eventstore.jdbi.JdbiProjections;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionStore;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The owner of the order read models: their tables ({@code order_summaries_v<n>}, {@code customer_order_history_v<n>},
 * {@code sales_daily_v<n>}, created by the server's migrations for version 1 and by {@code reset} for later versions),
 * the projection that writes them ({@link #projection}), and which version queries read: the projection store's
 * active version (looked up at most once a second), so a rebuild beside the live version is switched to without a
 * restart.
 */
public final class OrderReadModels {

    /** The projection's name. */
    public static final String NAME = "order-read-models";
    static final List<String> TABLES = List.of("order_summaries", "customer_order_history", "sales_daily");

    private final String schema;
    private final LoadingCache<String, Integer> activeVersion;

    /**
     * @param schema the schema of the tables
     * @param projections the projection store (for the active version)
     */
    public OrderReadModels(String schema, ProjectionStore<?> projections) {
        this.schema = schema;
        this.activeVersion = Caffeine.newBuilder().refreshAfterWrite(Duration.ofSeconds(1))
                .build(name -> projections.activeVersion(name).orElse(1));
    }

    /** @return the projection that writes the tables, for a {@code ProjectionRunner<Connection>} */
    public Projection<Connection> projection() {
        return JdbiProjections.of(new OrderReadModelWriter(schema));
    }

    /** @return the version queries read (the projection store's active version) */
    int activeVersion() {
        try {
            return activeVersion.get(NAME);
        } catch (RuntimeException e) {
            throw new ReadModelUnavailableException("the read models' active version cannot be read", e);
        }
    }

    /** @return the schema-qualified name of a read-model table in {@code version} */
    String table(String name, int version) {
        return table(schema, name, version);
    }

    static String table(String schema, String name, int version) {
        return schema + "." + name + "_v" + version;
    }

    /** The read models cannot be read right now (the database does not answer). */
    public static final class ReadModelUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
