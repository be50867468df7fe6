/**
 * The audit trail of administrative actions: {@link dev.eventfold.eventstore.audit.AuditTrail} keeps who did what,
 * to what, when and why as events of an append-only stream, and {@link
 * dev.eventfold.eventstore.audit.Administration} is the audited path for the destructive actions (forgetting a data
 * subject, rotating its key, tombstoning a stream). See {@code docs/compliance.md}.
 */
package dev.eventfold.eventstore.audit;
