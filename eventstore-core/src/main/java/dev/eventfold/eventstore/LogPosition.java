package dev.eventfold.eventstore;

/**
 * A place in the store-wide log ({@code $all}), in the order in which readers of {@code $all} see events. This is the
 * checkpoint a subscription or projection keeps: reading "after" a log position returns exactly the events that come
 * later, none skipped, even when appends commit in another order than they started in.
 *
 * <p>A log position is a pair: the id of the append that wrote the event ({@code transactionId}, increasing in the
 * order appends become safe to read; for PostgreSQL the writing transaction's {@code xid8}) and the event's
 * {@code globalPosition}. Log positions compare by transaction id, then global position. Within one append the global
 * positions increase with the stream versions. See {@code docs/adr/0002-gap-safety.md}.
 *
 * <p>Immutable.
 *
 * @param transactionId the id of the append that wrote the event, 0 or more (0 only in {@link #START})
 * @param globalPosition the event's global position, 0 or more (0 only in {@link #START})
 */
public record LogPosition(long transactionId, long globalPosition) implements Comparable<LogPosition> {

    /** Before the first event: reading after it reads from the beginning of the log. */
    public static final LogPosition START = new LogPosition(0, 0);

    /**
     * @param transactionId the id of the append that wrote the event, 0 or more (0 only in {@link #START})
     * @param globalPosition the event's global position, 0 or more (0 only in {@link #START})
     * @throws InvalidRequestException if a component is negative
     */
    public LogPosition {
        if (transactionId < 0 || globalPosition < 0) {
            throw new InvalidRequestException("log position components must be 0 or more, was (" + transactionId
                    + ", " + globalPosition + ")");
        }
    }

    @Override
    public int compareTo(LogPosition other) {
        int byTransaction = Long.compare(transactionId, other.transactionId);
        return byTransaction != 0 ? byTransaction : Long.compare(globalPosition, other.globalPosition);
    }

    /**
     * @param other another position
     * @return {@code true} if this position comes after {@code other} in the log
     */
    public boolean isAfter(LogPosition other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return transactionId + "/" + globalPosition;
    }
}
