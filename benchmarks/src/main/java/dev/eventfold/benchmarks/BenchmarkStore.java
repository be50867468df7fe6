package dev.eventfold.benchmarks;

import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import java.util.List;

/**
 * What the benchmarks ask of each store kind: the same I/O for all. Implementations are thread-safe.
 */
interface BenchmarkStore extends AutoCloseable {

    /**
     * Appends events to an order stream with the exact expected version.
     *
     * @param orderId the order
     * @param expectedVersion the version before the append, -1 for a new stream
     * @param events the events
     */
    void append(String orderId, long expectedVersion, List<OrderEvent> events);

    /**
     * Rebuilds an order: reads its events, deserializes every payload, folds them.
     *
     * @param orderId the order
     * @return the state
     */
    Order load(String orderId);

    /**
     * Projects every event of the store into {@code model} from the start, in transactions of {@code batchSize}
     * events that also move the projector's checkpoint, the way this kind does it in production; returns once all
     * {@code events} are applied and committed.
     *
     * @param name a projector name not used before in this store
     * @param model the read model to write
     * @param events how many events the store holds
     * @param batchSize events per transaction
     */
    void catchUp(String name, ReadModel model, long events, int batchSize) throws Exception;

    /** @return the pool the store works with, for read models in its schema */
    javax.sql.DataSource dataSource();

    /** @return the schema the store works in */
    String schema();

    @Override
    void close();

    /** The store kinds, by the name {@code @Param} uses. */
    static BenchmarkStore create(String kind) {
        return switch (kind) {
            case "floor" -> new FloorStore();
            case "eventstore" -> new EventfoldStore(false, false);
            case "eventstore-snapshots" -> new EventfoldStore(true, false);
            case "eventstore-snapshots-cache" -> new EventfoldStore(true, true);
            case "axon" -> new AxonStore();
            default -> throw new IllegalArgumentException("unknown store kind " + kind);
        };
    }
}
