package dev.eventfold.eventstore.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who did what, to what, when and why: administrative actions as {@value #EVENT_TYPE} events of one stream of the
 * event store (default {@value #DEFAULT_STREAM}). The stream is as append-only as every other (on PostgreSQL a
 * trigger refuses UPDATE and DELETE of events), so the trail cannot be edited by the application. Entries are
 * appended with {@code ExpectedVersion.any()}: concurrent actions never conflict. Keep personal data out of reasons
 * and details; the trail outlives every erasure.
 *
 * <pre>{@code
 * AuditTrail audit = AuditTrail.create(store);
 * audit.record("stream.tombstone", "alice", "ticket 4711: duplicate import", "order-42", Map.of());
 * List<AuditEntry> newestFirst = audit.read(ReadDirection.BACKWARD, EventStore.END, 50);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AuditTrail {

    /** The default stream of the trail. */
    public static final String DEFAULT_STREAM = "audit-admin";

    /** The type of every entry's event. */
    public static final String EVENT_TYPE = "AdministrativeAction";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventStore store;
    private final String streamId;
    private final InstantSource clock;

    private AuditTrail(EventStore store, String streamId, InstantSource clock) {
        this.store = store;
        this.streamId = streamId;
        this.clock = clock;
    }

    /**
     * @param store the store to keep the trail in
     * @return the trail in {@value #DEFAULT_STREAM}
     */
    public static AuditTrail create(EventStore store) {
        return create(store, DEFAULT_STREAM, InstantSource.system());
    }

    /**
     * @param store the store to keep the trail in
     * @param streamId the trail's stream
     * @param clock the source of each entry's time
     * @return the trail
     * @throws InvalidRequestException if an argument is null or the stream id blank
     */
    public static AuditTrail create(EventStore store, String streamId, InstantSource clock) {
        if (store == null || streamId == null || streamId.isBlank() || clock == null) {
            throw new InvalidRequestException("an audit trail needs a store, a stream id and a clock");
        }
        return new AuditTrail(store, streamId, clock);
    }

    /** @return the trail's stream */
    public String streamId() {
        return streamId;
    }

    /**
     * Appends an entry.
     *
     * @param action what was done
     * @param actor who did it
     * @param reason why
     * @param target what it was done to
     * @param details what the action reported
     * @return the entry as stored
     * @throws InvalidRequestException if a value is missing or too long; nothing is appended
     * @throws dev.eventfold.eventstore.EventStoreUnavailableException if the store cannot be reached
     */
    public AuditEntry record(String action, String actor, String reason, String target, Map<String, String> details) {
        Instant at = clock.instant();
        // Checks every value before anything is written (the version is filled in after the append).
        AuditEntry entry = new AuditEntry(0, at, action, actor, reason, target, details);
        ObjectNode json = JSON.createObjectNode();
        json.put("action", action).put("actor", actor).put("reason", reason).put("target", target)
                .put("at", at.toString());
        ObjectNode detailJson = json.putObject("details");
        new java.util.TreeMap<>(entry.details()).forEach(detailJson::put);
        EventData event = new EventData(EventData.newEventId(), EVENT_TYPE, Payload.ofJson(json.toString()),
                Metadata.empty().withUserId(actor));
        AppendResult result = store.append(streamId, ExpectedVersion.any(), event);
        return new AuditEntry(result.nextExpectedVersion(), at, action, actor, reason, target, entry.details());
    }

    /**
     * @param direction forward from {@code fromVersion}, or backward from it ({@link EventStore#END} for newest first)
     * @param fromVersion the first version to return
     * @param maxCount the most entries to return
     * @return the entries, empty if none was recorded
     * @throws AuditException if an event of the stream is not an entry
     */
    public List<AuditEntry> read(ReadDirection direction, long fromVersion, int maxCount) {
        List<AuditEntry> entries = new ArrayList<>();
        for (RecordedEvent event : store.readStream(streamId, direction, fromVersion, maxCount)) {
            entries.add(parse(event));
        }
        return entries;
    }

    /**
     * Delivers every entry recorded after the newest one now stored, by any process on the same store: how a replica
     * learns that another one forgot a subject (and drops what it caches of it).
     *
     * @param handler called with each new entry, on the subscription's thread; if it throws, the subscription stops
     * @return the running subscription
     */
    public Subscription follow(Consumer<AuditEntry> handler) {
        List<RecordedEvent> newest = store.readStream(streamId, ReadDirection.BACKWARD, EventStore.END, 1);
        LogPosition after = newest.isEmpty() ? LogPosition.START : newest.get(0).logPosition();
        return store.subscribe(after, EventFilter.category(Category.of(streamId)), event -> {
            if (event.streamId().equals(streamId)) {
                handler.accept(parse(event));
            }
        });
    }

    /**
     * Reads an entry from an event of any trail, e.g. in a projection that follows {@code $all} and must react to
     * administrative actions (drop a tombstoned stream's rows, redact a forgotten subject's).
     *
     * @param event an event
     * @return its entry, or empty if it is not an {@value #EVENT_TYPE} event
     * @throws AuditException if it is one but cannot be read
     */
    public static Optional<AuditEntry> entryOf(RecordedEvent event) {
        return EVENT_TYPE.equals(event.type()) ? Optional.of(parse(event)) : Optional.empty();
    }

    private static AuditEntry parse(RecordedEvent event) {
        try {
            JsonNode json = JSON.readTree(event.payload().asString());
            Map<String, String> details = new LinkedHashMap<>();
            json.path("details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
            return new AuditEntry(event.streamVersion(), Instant.parse(json.path("at").asText()),
                    json.path("action").asText(), json.path("actor").asText(), json.path("reason").asText(),
                    json.path("target").asText(), details);
        } catch (IOException | RuntimeException e) {
            throw new AuditException("event " + event.streamVersion() + " of " + event.streamId()
                    + " is not an audit entry: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AuditTrail[" + streamId + "]";
    }
}
