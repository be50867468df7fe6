package dev.eventfold.eventstore;

import java.util.List;

/**
 * What a successful append returns. For an idempotent retry (the events were already stored at that place) it is the
 * result of the original append.
 *
 * <p>Immutable.
 *
 * @param nextExpectedVersion the stream version of the last appended event: pass
 *     {@code ExpectedVersion.exactly(nextExpectedVersion)} to append after it
 * @param globalPositions the global positions of the appended events, in the order they were given
 * @param transactionId the id of the append (see {@link LogPosition}); all its events share it
 */
public record AppendResult(long nextExpectedVersion, List<Long> globalPositions, long transactionId) {

    /**
     * @param nextExpectedVersion the stream version of the last appended event: pass {@code
     *     ExpectedVersion.exactly(nextExpectedVersion)} to append after it
     * @param globalPositions the global positions of the appended events, in the order they were given
     * @param transactionId the id of the append (see {@link LogPosition}); all its events share it
     * @throws InvalidRequestException if the version is negative, the positions are empty or contain null, or the
     *     transaction id is not positive
     */
    public AppendResult {
        if (nextExpectedVersion < 0) {
            throw new InvalidRequestException("nextExpectedVersion must be 0 or more, was " + nextExpectedVersion);
        }
        if (globalPositions == null || globalPositions.isEmpty()
                || globalPositions.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidRequestException("globalPositions must hold one position per appended event");
        }
        if (transactionId < 1) {
            throw new InvalidRequestException("transactionId must be 1 or more, was " + transactionId);
        }
        globalPositions = List.copyOf(globalPositions);
    }

    /** @return the log position of the last appended event, e.g. to wait until a projection has processed it */
    public LogPosition lastLogPosition() {
        return new LogPosition(transactionId, globalPositions.get(globalPositions.size() - 1));
    }
}
