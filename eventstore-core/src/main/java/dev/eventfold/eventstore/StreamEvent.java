package dev.eventfold.eventstore;

/**
 * An event as rebuilding state from its stream needs it, and nothing more: its version, type, payload and the schema
 * version it was written with. {@link EventStore#readStreamForFolding} returns these so a store can skip reading and
 * decoding what a fold never looks at (event ids, log positions, timestamps, the rest of the metadata); the
 * PostgreSQL store reads stream versions that way at about the cost of a bare {@code SELECT type, payload}.
 *
 * <p>Immutable.
 *
 * @param streamId the stream the event belongs to
 * @param streamVersion the event's 0-based place in its stream
 * @param type the event's type name
 * @param schemaVersion the value of the event's {@value #SCHEMA_VERSION_HEADER} metadata header as stored, or null
 *     if it has none (which readers take as version 1)
 * @param payload the event's JSON document
 * @param last true if the store knows this was the last event of its stream when it was read (a fold stops there
 *     without asking for another page); false if it was not or the store does not tell
 */
public record StreamEvent(String streamId, long streamVersion, String type, String schemaVersion, Payload payload,
        boolean last) {

    /** The metadata header that carries the schema version an event was written with. */
    public static final String SCHEMA_VERSION_HEADER = "schemaVersion";

    /**
     * @param streamId the stream the event belongs to
     * @param streamVersion the event's 0-based place in its stream
     * @param type the event's type name
     * @param schemaVersion the value of the event's {@value #SCHEMA_VERSION_HEADER} metadata header as stored, or
     *     null if it has none (which readers take as version 1)
     * @param payload the event's JSON document
     * @param last true if the store knows this was the last event of its stream when it was read (a fold stops there
     *     without asking for another page); false if it was not or the store does not tell
     * @throws InvalidRequestException if a component other than {@code schemaVersion} is null or the version is
     *     negative
     */
    public StreamEvent {
        if (streamId == null || type == null || payload == null) {
            throw new InvalidRequestException("stream event components must not be null (stream " + streamId
                    + ", version " + streamVersion + ")");
        }
        if (streamVersion < 0) {
            throw new InvalidRequestException("stream event of '" + streamId + "' has streamVersion " + streamVersion
                    + "; versions start at 0");
        }
    }

    /**
     * An event not known to be its stream's last.
     *
     * @param streamId the stream the event belongs to
     * @param streamVersion the event's 0-based place in its stream
     * @param type the event's type name
     * @param schemaVersion the schema version header as stored, or null
     * @param payload the event's JSON document
     * @throws InvalidRequestException as the canonical constructor
     */
    public StreamEvent(String streamId, long streamVersion, String type, String schemaVersion, Payload payload) {
        this(streamId, streamVersion, type, schemaVersion, payload, false);
    }

    /**
     * @param recorded a recorded event
     * @return its folding view
     */
    public static StreamEvent of(RecordedEvent recorded) {
        return new StreamEvent(recorded.streamId(), recorded.streamVersion(), recorded.type(),
                recorded.metadata().headers().get(SCHEMA_VERSION_HEADER), recorded.payload());
    }
}
