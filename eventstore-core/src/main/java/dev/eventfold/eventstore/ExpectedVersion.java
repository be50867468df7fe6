package dev.eventfold.eventstore;

/**
 * The optimistic-concurrency precondition of an append: what the caller believes about the stream's current version.
 * A stream's version is the stream version of its last event (0-based), or {@link #NO_STREAM} when it has no events.
 *
 * <ul>
 *   <li>{@link #any()}: no precondition.</li>
 *   <li>{@link #noStream()}: the stream must not exist yet.</li>
 *   <li>{@link #streamExists()}: the stream must have at least one event.</li>
 *   <li>{@link #exactly(long) exactly(n)}: the stream's last event must have version {@code n}.</li>
 * </ul>
 *
 * <p>A failed precondition is a {@link WrongExpectedVersionException}; nothing is written. All implementations are
 * immutable records.
 */
public sealed interface ExpectedVersion {

    /** The version of a stream that has no events: {@value}. */
    long NO_STREAM = -1L;

    /** @return the precondition that always holds */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** @return the precondition that the stream has no events */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /** @return the precondition that the stream has at least one event */
    static ExpectedVersion streamExists() {
        return StreamExists.INSTANCE;
    }

    /**
     * @param version the stream version of the stream's last event, 0 or more
     * @return the precondition that the stream's last event has exactly this version
     * @throws InvalidRequestException if {@code version} is negative
     */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /**
     * The precondition for a stream whose version was just read: {@link #noStream()} for {@link #NO_STREAM} (what
     * {@link EventStore#streamVersion} answers for a missing stream), {@link #exactly(long)} otherwise. A
     * read-then-append loop needs no branch of its own.
     *
     * @param version a stream version as read, {@link #NO_STREAM} or 0 or more
     * @return the precondition that the stream is still at that version
     * @throws InvalidRequestException if {@code version} is below {@link #NO_STREAM}
     */
    static ExpectedVersion of(long version) {
        if (version == NO_STREAM) {
            return noStream();
        }
        if (version < NO_STREAM) {
            throw new InvalidRequestException("a stream version is -1 (no stream) or 0 or more, was " + version);
        }
        return exactly(version);
    }

    /**
     * Tells whether a stream at {@code currentVersion} satisfies this precondition.
     *
     * @param currentVersion the stream's version, or {@link #NO_STREAM}
     * @return {@code true} if an append may proceed
     */
    boolean isSatisfiedBy(long currentVersion);

    /** No precondition. */
    record Any() implements ExpectedVersion {
        static final Any INSTANCE = new Any();

        @Override
        public boolean isSatisfiedBy(long currentVersion) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    /** The stream must have no events. */
    record NoStream() implements ExpectedVersion {
        static final NoStream INSTANCE = new NoStream();

        @Override
        public boolean isSatisfiedBy(long currentVersion) {
            return currentVersion == NO_STREAM;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** The stream must have at least one event. */
    record StreamExists() implements ExpectedVersion {
        static final StreamExists INSTANCE = new StreamExists();

        @Override
        public boolean isSatisfiedBy(long currentVersion) {
            return currentVersion != NO_STREAM;
        }

        @Override
        public String toString() {
            return "stream exists";
        }
    }

    /**
     * The stream's last event must have exactly this version.
     *
     * @param version the expected stream version, 0 or more
     */
    record Exactly(long version) implements ExpectedVersion {
        /**
         * @param version the expected stream version, 0 or more
         * @throws InvalidRequestException if {@code version} is negative
         */
        public Exactly {
            if (version < 0) {
                throw new InvalidRequestException("expected version must be 0 or more (use noStream() for a new "
                        + "stream), was " + version);
            }
        }

        @Override
        public boolean isSatisfiedBy(long currentVersion) {
            return currentVersion == version;
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }
}
