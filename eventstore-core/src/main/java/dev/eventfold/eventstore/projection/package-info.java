/**
 * Projection runners: {@link dev.eventfold.eventstore.projection.ProjectionRunner} feeds a
 * {@link dev.eventfold.eventstore.projection.Projection} from the event log in batches, with a checkpoint committed in
 * the read model's transaction, one fenced leader across replicas, retries, dead letters, status, rebuilds and
 * read-your-writes. {@link dev.eventfold.eventstore.projection.ProjectionStore} is the storage SPI;
 * {@link dev.eventfold.eventstore.projection.InMemoryProjectionStore} is the in-memory one. See
 * {@code docs/projections.md}.
 */
package dev.eventfold.eventstore.projection;
