package dev.eventfold.eventstore.tck;

/**
 * Optional capabilities a store may have. A {@link StoreFixture} declares the ones its store has; for the others the
 * suites assert the documented refusal instead of skipping.
 */
public enum Capability {
    /**
     * The store implements {@link dev.eventfold.eventstore.StreamAdministration} (tombstones). Refusal: the store
     * does not implement that interface.
     */
    STREAM_DELETION,

    /**
     * The store implements {@link dev.eventfold.eventstore.retention.RetentionStore} (removal of old events into an
     * archive). Refusal: the store does not implement that interface.
     */
    RETENTION
}
