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
