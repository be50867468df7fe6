package dev.eventfold.eventstore.projection;

/** What a projection runner is doing. */
public enum ProjectionState {
    /** Another replica leads this projection; this runner waits to take over. */
    STANDBY,
    /** Leading and keeping the read model up to date. */
    RUNNING,
    /** Building the read model from the start (a rebuild, or a new version beside the live one). */
    REBUILDING,
    /** Stopped by a handler failure under {@link FailurePolicy#STOP}; see the last error. */
    FAILED,
    /** Not running: never started, stopped, or superseded by a newer version. */
    STOPPED
}
