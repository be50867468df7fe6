/**
 * The event store API: {@link dev.eventfold.eventstore.EventStore} and the values it takes and returns.
 *
 * <p>Start with {@link dev.eventfold.eventstore.EventStore} for the contract, and
 * {@code dev.eventfold.eventstore.inmemory.InMemoryEventStore#create()} for a store to try it on. Every exception is an
 * unchecked {@link dev.eventfold.eventstore.EventStoreException}. Values are immutable records validated when built.
 */
package dev.eventfold.eventstore;
