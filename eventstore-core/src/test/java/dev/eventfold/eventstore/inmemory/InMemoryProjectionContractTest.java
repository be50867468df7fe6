package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.InMemoryProjectionStore;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionStore;
import dev.eventfold.eventstore.tck.ProjectionContract;
import dev.eventfold.eventstore.tck.StoreFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

class InMemoryProjectionContractTest extends ProjectionContract<Void> {

    private final Map<EventStore, InMemoryProjectionStore> stores = new IdentityHashMap<>();

    @Override
    protected StoreFixture createFixture() {
        return new InMemoryStoreFixture();
    }

    @Override
    protected synchronized ProjectionStore<Void> projectionStoreFor(EventStore target) {
        return stores.computeIfAbsent(target, s -> new InMemoryProjectionStore());
    }

    @Override
    protected Ledger<Void> ledgerFor(EventStore target) {
        return new MemoryLedger();
    }

    /** Idempotent, as at-least-once delivery without a transaction requires. */
    static final class MemoryLedger implements Ledger<Void> {
        private final Map<Integer, List<UUID>> applied = new HashMap<>();

        @Override
        public synchronized void record(ProjectionContext<Void> context, RecordedEvent event) {
            List<UUID> ids = applied.computeIfAbsent(context.version(), v -> new ArrayList<>());
            if (!ids.contains(event.eventId())) {
                ids.add(event.eventId());
            }
        }

        @Override
        public synchronized void reset(ProjectionContext<Void> context) {
            applied.put(context.version(), new ArrayList<>());
        }

        @Override
        public synchronized List<UUID> applied(int version) {
            return List.copyOf(applied.getOrDefault(version, List.of()));
        }
    }
}
