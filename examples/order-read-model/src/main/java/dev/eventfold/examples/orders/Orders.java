package dev.eventfold.examples.orders;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.examples.orders.OrderEvent.OrderCancelled;
import dev.eventfold.examples.orders.OrderEvent.OrderPlaced;
import java.math.BigDecimal;
import java.util.List;

/**
 * The write side: appends order events, one stream per order ({@code order-<id>}), straight to the event store. Each
 * call returns the {@link AppendResult}, whose {@code lastLogPosition()} a caller hands to
 * {@code ProjectionRunner.awaitPosition} to read its own write.
 */
public final class Orders {

    /** The category of order streams: what the read model subscribes to. */
    public static final String CATEGORY = "order";

    /** Stored type names ↔ event classes, shared by the write side and the projection. */
    public static final EventTypes<OrderEvent> TYPES = EventTypes.builder(OrderEvent.class)
            .register("OrderPlaced", OrderPlaced.class)
            .register("OrderCancelled", OrderCancelled.class)
            .build();

    private final EventStore store;

    /** @param store the event store */
    public Orders(EventStore store) {
        this.store = store;
    }

    /**
     * @param orderId a new order's id
     * @param customerId who places it
     * @param total its total
     * @return where the event went
     * @throws dev.eventfold.eventstore.WrongExpectedVersionException if the order exists already
     */
    public AppendResult place(String orderId, String customerId, BigDecimal total) {
        return store.append(CATEGORY + "-" + orderId, ExpectedVersion.noStream(),
                TYPES.toEventData(new OrderPlaced(customerId, total), Metadata.empty()));
    }

    /**
     * Cancels a placed order. Appends with "expected version 0" (placed, nothing since), so an order is cancelled at
     * most once even when two callers race.
     *
     * @param orderId the order
     * @return where the event went
     * @throws IllegalArgumentException if there is no such order
     * @throws dev.eventfold.eventstore.WrongExpectedVersionException if it was cancelled already
     */
    public AppendResult cancel(String orderId) {
        String streamId = CATEGORY + "-" + orderId;
        List<RecordedEvent> history = store.readStreamForward(streamId, 0, 1);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("no order " + orderId);
        }
        OrderEvent placed = TYPES.fromRecorded(history.get(0));
        return store.append(streamId, ExpectedVersion.exactly(0),
                TYPES.toEventData(new OrderCancelled(placed.customerId(), placed.total()), Metadata.empty()));
    }
}
