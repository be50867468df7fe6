/**
 * OpenTelemetry tracing for the event store: {@link dev.eventfold.eventstore.opentelemetry.EventStoreTracing} traces
 * appends, loads and projection batches and carries the trace context from a command, through its events' metadata,
 * to the projections and subscriptions that consume them.
 */
package dev.eventfold.eventstore.opentelemetry;
