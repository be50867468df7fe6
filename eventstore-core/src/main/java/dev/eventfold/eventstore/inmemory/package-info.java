/**
 * The in-memory event store, {@link dev.eventfold.eventstore.inmemory.InMemoryEventStore}: the reference model of the
 * event store contract, for tests and prototypes.
 */
package dev.eventfold.eventstore.inmemory;
