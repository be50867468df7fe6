/**
 * Read models written with Jdbi in the projection runner's transaction: {@link dev.eventfold.eventstore.jdbi.JdbiProjections}.
 */
package dev.eventfold.eventstore.jdbi;
