/**
 * The order domain: the {@link dev.eventfold.orders.Orders#DECIDER order decider}, its commands, events, state and
 * rule violations, and {@link dev.eventfold.orders.Money}. Pure: no I/O, no clock, no framework. Read-model logic is in
 * {@link dev.eventfold.orders.views}. See {@code docs/order-domain.md}.
 */
package dev.eventfold.orders;
