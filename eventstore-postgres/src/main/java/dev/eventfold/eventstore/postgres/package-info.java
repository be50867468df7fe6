/**
 * The PostgreSQL event store. Entry points: {@link dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator} to
 * create the schema, {@link dev.eventfold.eventstore.postgres.PostgresPool} for a connection pool with the seed's
 * defaults, and {@link dev.eventfold.eventstore.postgres.PostgresEventStore#builder(javax.sql.DataSource)}.
 */
package dev.eventfold.eventstore.postgres;
