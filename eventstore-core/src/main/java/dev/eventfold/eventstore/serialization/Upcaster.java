package dev.eventfold.eventstore.serialization;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the JSON payload of one event type from one schema version into the next (v → v + 1). Registered with
 * {@link EventTypes.Builder#upcaster(String, int, Upcaster)}; chains apply in order (v1 → v2 → v3) when an event is
 * read. Stored events are never rewritten.
 *
 * <p>An upcaster may change the node it is given and return it, or return a new node. It must be a pure function of
 * its input: it runs on every read of an old event, on any thread.
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * @param payload the payload at schema version {@code v}, a mutable copy owned by the caller
     * @return the payload at schema version {@code v + 1}
     */
    ObjectNode upcast(ObjectNode payload);
}
