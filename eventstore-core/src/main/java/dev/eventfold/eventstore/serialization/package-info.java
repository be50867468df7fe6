/**
 * Turning domain events and aggregate states into JSON and back: {@link dev.eventfold.eventstore.serialization.EventTypes}
 * (the explicit event-type registry with schema versions and {@link dev.eventfold.eventstore.serialization.Upcaster}s),
 * {@link dev.eventfold.eventstore.serialization.StateCodec} (snapshots) and
 * {@link dev.eventfold.eventstore.serialization.SerializationException}, the one failure of both.
 */
package dev.eventfold.eventstore.serialization;
