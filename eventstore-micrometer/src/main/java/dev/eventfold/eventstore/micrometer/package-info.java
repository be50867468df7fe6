/**
 * Micrometer meters for the event store: {@link dev.eventfold.eventstore.micrometer.EventStoreMetrics} hands out the
 * listener hooks of stores, aggregate repositories and projection runners, and
 * {@link dev.eventfold.eventstore.micrometer.ReaderHorizonMetrics} binds the PostgreSQL store's reader horizon.
 */
package dev.eventfold.eventstore.micrometer;
