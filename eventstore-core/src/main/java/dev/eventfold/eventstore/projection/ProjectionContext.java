package dev.eventfold.eventstore.projection;

/**
 * What a {@link Projection} gets with each call. Immutable.
 *
 * @param transaction the projection store's transaction (a {@link java.sql.Connection} for PostgreSQL; {@code null}
 *     for the in-memory store); valid only during the call
 * @param projection the projection's name
 * @param version the read-model version being written
 * @param fencingToken the runner's leadership token, strictly increasing per projection version: pass it to external
 *     systems that can reject writes of a deposed leader
 * @param <T> the transaction type
 */
public record ProjectionContext<T>(T transaction, String projection, int version, long fencingToken) {
}
