package dev.eventfold.eventstore;

/** The direction of a stream read. */
public enum ReadDirection {
    /** Ascending stream versions, starting at the given version. */
    FORWARD,
    /** Descending stream versions, starting at the given version (or at the last event, see {@link EventStore#END}). */
    BACKWARD
}
