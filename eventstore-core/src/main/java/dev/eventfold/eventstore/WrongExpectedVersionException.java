package dev.eventfold.eventstore;

import java.util.Objects;

/**
 * The optimistic-concurrency precondition of an append (or of a stream deletion) did not hold: the stream was not at
 * the {@link ExpectedVersion} the caller stated. Nothing was written.
 *
 * <p>The message has one fixed form, which callers may rely on:
 * {@code Wrong expected version for stream 'order-6f1c': expected 3, actual 5}. "actual" is the stream's version when
 * the precondition was checked, or {@code no stream} when the stream did not exist.
 *
 * <p>Immutable.
 */
public final class WrongExpectedVersionException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The stream appended to. */
    private final String streamId;
    private final transient ExpectedVersion expected;
    /** The stream's actual version. */
    private final long actual;

    /**
     * Creates the exception.
     *
     * @param streamId the stream whose precondition failed
     * @param expected what the caller expected
     * @param actual the stream's version when checked, or {@link ExpectedVersion#NO_STREAM} if it did not exist
     */
    public WrongExpectedVersionException(String streamId, ExpectedVersion expected, long actual) {
        super("Wrong expected version for stream '" + streamId + "': expected " + expected + ", actual "
                + describe(actual));
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.actual = actual;
    }

    private static String describe(long version) {
        return version == ExpectedVersion.NO_STREAM ? "no stream" : Long.toString(version);
    }

    /** @return the stream whose precondition failed */
    public String streamId() {
        return streamId;
    }

    /** @return the precondition the caller stated */
    public ExpectedVersion expected() {
        return expected;
    }

    /**
     * @return the stream's version when the precondition was checked (the version of its last event), or
     *     {@link ExpectedVersion#NO_STREAM} ({@value ExpectedVersion#NO_STREAM}) if the stream did not exist
     */
    public long actual() {
        return actual;
    }
}
