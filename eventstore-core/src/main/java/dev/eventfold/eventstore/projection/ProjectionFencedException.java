package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.EventStoreException;

/**
 * A runner tried to write with a lease another runner has superseded: it was deposed (its lock connection died, it
 * was paused) and must stop writing. Nothing of the attempted transaction was kept.
 */
public final class ProjectionFencedException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The projection whose lease was superseded. */
    private final String projection;
    /** The read-model version. */
    private final int version;
    /** The fencing token the caller held. */
    private final long fencingToken;

    /**
     * @param projection the projection name
     * @param version the version
     * @param fencingToken the superseded token
     */
    public ProjectionFencedException(String projection, int version, long fencingToken) {
        super("Projection '" + projection + "' version " + version + ": fencing token " + fencingToken
                + " was superseded by another runner; this runner no longer leads");
        this.projection = projection;
        this.version = version;
        this.fencingToken = fencingToken;
    }

    /** @return the projection name */
    public String projection() {
        return projection;
    }

    /** @return the version */
    public int version() {
        return version;
    }

    /** @return the superseded token */
    public long fencingToken() {
        return fencingToken;
    }
}
