/**
 * The pure half of the order read models: rows and the functions from order events to row changes (order summaries,
 * customer history, sales per day). Their tables and runners live in the reference server.
 */
package dev.eventfold.orders.views;
