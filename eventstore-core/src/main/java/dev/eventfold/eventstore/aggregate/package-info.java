/**
 * Aggregates as {@link dev.eventfold.eventstore.aggregate.Decider}s (pure functions) and the
 * {@link dev.eventfold.eventstore.aggregate.AggregateRepository} that loads them (snapshot + later events, or cache),
 * runs commands with optimistic concurrency and bounded retries, takes snapshots off the caller's path, and rebuilds
 * past states. See {@code docs/aggregates.md}.
 */
package dev.eventfold.eventstore.aggregate;
