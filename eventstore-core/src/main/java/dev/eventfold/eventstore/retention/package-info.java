/**
 * Retention: {@link dev.eventfold.eventstore.retention.RetentionPolicy} says which old events of a stream or a
 * category may go (older than a maximum age, beyond a maximum count, before a version); a store that implements
 * {@link dev.eventfold.eventstore.retention.RetentionStore} removes them, copying each to its archive first; {@link
 * dev.eventfold.eventstore.audit.RetentionJob} applies policies on a schedule through the audited path of {@link
 * dev.eventfold.eventstore.audit.Administration}. See {@code docs/compliance.md}.
 */
package dev.eventfold.eventstore.retention;
