package dev.eventfold.eventstore.projection;

/** What a runner does with an event its projection keeps rejecting after all retries. */
public enum FailurePolicy {
    /** Store it as a dead letter, move the checkpoint past it and go on. */
    CONTINUE,
    /** Stop before it (state {@link ProjectionState#FAILED}); the checkpoint stays in front of the event. */
    STOP
}
