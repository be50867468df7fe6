package dev.eventfold.eventstore.serialization;

import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import java.util.Optional;

/**
 * An event or a state could not be turned into JSON or back: an unknown event type, a payload that does not fit the
 * registered class, a missing upcaster, a schema version newer than the code knows. Never a silent skip.
 *
 * <p>The message names the event type, its schema version and, on reads, where the event sits (stream, stream version,
 * global position). It never quotes the payload; the cause (usually a Jackson exception) may, so log causes with care.
 *
 * <p>Immutable once thrown.
 */
public final class SerializationException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /** The event type name. */
    private final String type;
    /** The schema version involved. */
    private final int schemaVersion;
    private final transient RecordedEvent event;

    SerializationException(String type, int schemaVersion, RecordedEvent event, String reason, Throwable cause) {
        this(type, schemaVersion, event, event != null, reason, cause);
    }

    SerializationException(String type, int schemaVersion, RecordedEvent event, boolean reading, String reason,
            Throwable cause) {
        this(type, schemaVersion, event, event == null ? null : where(event), reading, reason, cause);
    }

    private SerializationException(String type, int schemaVersion, RecordedEvent event, String where, boolean reading,
            String reason, Throwable cause) {
        super(message(type, schemaVersion, where, reading, reason), cause);
        this.type = type;
        this.schemaVersion = schemaVersion;
        this.event = event;
    }

    /** A failure reading an event of a stream through {@link dev.eventfold.eventstore.StreamEvent}. */
    static SerializationException folding(String type, int schemaVersion, StreamEvent event, String reason,
            Throwable cause) {
        return new SerializationException(type, schemaVersion, null, "of stream '" + event.streamId()
                + "' at version " + event.streamVersion(), true, reason, cause);
    }

    private static String where(RecordedEvent event) {
        return "of stream '" + event.streamId() + "' at version " + event.streamVersion() + ", global position "
                + event.globalPosition();
    }

    private static String message(String type, int schemaVersion, String where, boolean reading, String reason) {
        String what = "'" + type + "' (schema version " + schemaVersion + ")";
        if (where == null) {
            return (reading ? "Cannot deserialize " : "Cannot serialize ") + what + ": " + reason;
        }
        return "Cannot deserialize event " + what + " " + where + ": " + reason;
    }

    /** @return the event type (or state type, for snapshots) that failed */
    public String type() {
        return type;
    }

    /** @return the schema version of the failed event or state */
    public int schemaVersion() {
        return schemaVersion;
    }

    /**
     * @return the stored event that could not be read; empty when serializing and when the event was read for a fold
     *     (see {@link dev.eventfold.eventstore.StreamEvent}; the message still names its stream and version)
     */
    public Optional<RecordedEvent> event() {
        return Optional.ofNullable(event);
    }
}
