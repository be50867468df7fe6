package dev.eventfold.eventstore;

import java.util.Objects;
import java.util.UUID;

/**
 * An appended event id is already stored, but not as a retry of the same append: either at another place (another
 * stream, or another version of the same stream), or with other content (type, payload or metadata). Nothing was
 * written.
 *
 * <p>An exact retry (the same events, with the same ids, content and place) is not an error: it succeeds without
 * writing anything and returns the original {@link AppendResult}.
 *
 * <p>Immutable.
 */
public final class DuplicateEventException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The event id that is already stored. */
    private final UUID eventId;
    /** The stream the caller tried to append to. */
    private final String streamId;
    /** The stream in which the id is stored. */
    private final String storedStreamId;
    /** The stream version at which the id is stored. */
    private final long storedVersion;
    /** Why the append is not a retry. */
    private final Reason reason;

    /** Why an append whose event id is already stored is not a retry of the append that stored it. */
    public enum Reason {
        /** Some of the batch's event ids are stored and others not: no single earlier append wrote this batch. */
        PARTIALLY_STORED,
        /** The id is stored in another stream, or at another version than this append would put it. */
        OTHER_PLACE,
        /** The id is stored at the same place but with another type, payload or metadata. */
        DIFFERENT_CONTENT;

        /**
         * @param detail a store's description of the reason
         * @return the reason it describes: "content" means {@link #DIFFERENT_CONTENT}, "only … of … stored" means
         *     {@link #PARTIALLY_STORED}, anything else {@link #OTHER_PLACE}
         */
        public static Reason describedBy(String detail) {
            String text = detail == null ? "" : detail.toLowerCase(java.util.Locale.ROOT);
            if (text.contains("content")) {
                return DIFFERENT_CONTENT;
            }
            return text.startsWith("only ") ? PARTIALLY_STORED : OTHER_PLACE;
        }
    }

    /**
     * Creates the exception.
     *
     * @param eventId the event id that is already stored
     * @param streamId the stream the caller tried to append to
     * @param storedStreamId the stream in which the id is stored
     * @param storedVersion the stream version at which the id is stored
     * @param reason why the append is not a retry
     * @param detail the reason in words for the message, e.g. {@code "different content"}; never payload text
     */
    public DuplicateEventException(UUID eventId, String streamId, String storedStreamId, long storedVersion,
            Reason reason, String detail) {
        super("Duplicate event " + eventId + " appended to stream '" + streamId + "': already stored in stream '"
                + storedStreamId + "' at version " + storedVersion + " (" + detail + ")");
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.storedStreamId = Objects.requireNonNull(storedStreamId, "storedStreamId");
        this.storedVersion = storedVersion;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates the exception, reading the {@link Reason} from its description ({@link Reason#describedBy}).
     *
     * @param eventId the event id that is already stored
     * @param streamId the stream the caller tried to append to
     * @param storedStreamId the stream in which the id is stored
     * @param storedVersion the stream version at which the id is stored
     * @param detail why the append is not a retry, e.g. {@code "different content"}; never payload text
     */
    public DuplicateEventException(UUID eventId, String streamId, String storedStreamId, long storedVersion,
            String detail) {
        this(eventId, streamId, storedStreamId, storedVersion, Reason.describedBy(detail), detail);
    }

    /** @return the event id that is already stored */
    public UUID eventId() {
        return eventId;
    }

    /** @return the stream the caller tried to append to */
    public String streamId() {
        return streamId;
    }

    /** @return the stream in which the event id is stored */
    public String storedStreamId() {
        return storedStreamId;
    }

    /** @return the stream version at which the event id is stored */
    public long storedVersion() {
        return storedVersion;
    }

    /** @return why the append is not a retry */
    public Reason reason() {
        return reason;
    }
}
