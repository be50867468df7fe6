package dev.eventfold.eventstore.inmemory;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.internal.JsonDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The in-memory store's idempotency check: is an append whose event ids are stored a retry, or a duplicate? */
final class InMemoryRetries {

    private InMemoryRetries() {
    }

    /**
     * Idempotency (DESIGN §4): if none of the events is stored, returns null and the append goes on. If all are
     * stored in this stream, one after another, with the same content, at the place the expected version names, the
     * append is a retry and this returns the original result. Anything in between is a duplicate.
     */
    static AppendResult resultOfRetry(Map<UUID, RecordedEvent> byEventId, String streamId, ExpectedVersion expected,
            List<EventData> events) {
        RecordedEvent first = null;
        int found = 0;
        for (EventData event : events) {
            RecordedEvent stored = byEventId.get(event.eventId());
            if (stored != null) {
                found++;
                if (first == null) {
                    first = stored;
                }
            }
        }
        if (found == 0) {
            return null;
        }
        RecordedEvent head = byEventId.get(events.get(0).eventId());
        if (found < events.size() || head == null) {
            throw new DuplicateEventException(first.eventId(), streamId, first.streamId(), first.streamVersion(),
                    DuplicateEventException.Reason.PARTIALLY_STORED, "only " + found + " of the " + events.size()
                    + " events are stored, so this is not a retry");
        }
        if (!head.streamId().equals(streamId) || !isSamePlace(expected, head.streamVersion())) {
            throw new DuplicateEventException(head.eventId(), streamId, head.streamId(), head.streamVersion(),
                    "stored at another place than expected version " + expected + " names");
        }
        List<Long> positions = new ArrayList<>(events.size());
        RecordedEvent last = head;
        for (int i = 0; i < events.size(); i++) {
            EventData event = events.get(i);
            RecordedEvent stored = byEventId.get(event.eventId());
            if (!stored.streamId().equals(streamId) || stored.streamVersion() != head.streamVersion() + i) {
                throw new DuplicateEventException(stored.eventId(), streamId, stored.streamId(),
                        stored.streamVersion(), DuplicateEventException.Reason.OTHER_PLACE,
                        "stored at another place than in the original append");
            }
            if (!stored.type().equals(event.type()) || !stored.metadata().equals(event.metadata())
                    || !JsonDocuments.sameJson(stored.payload(), event.payload())) {
                throw new DuplicateEventException(stored.eventId(), streamId, stored.streamId(),
                        stored.streamVersion(), DuplicateEventException.Reason.DIFFERENT_CONTENT, "different content");
            }
            positions.add(stored.globalPosition());
            last = stored;
        }
        return new AppendResult(last.streamVersion(), positions, last.transactionId());
    }

    private static boolean isSamePlace(ExpectedVersion expected, long firstStoredVersion) {
        if (expected instanceof ExpectedVersion.Exactly exactly) {
            return firstStoredVersion == exactly.version() + 1;
        }
        if (expected instanceof ExpectedVersion.NoStream) {
            return firstStoredVersion == 0;
        }
        if (expected instanceof ExpectedVersion.StreamExists) {
            return firstStoredVersion > 0;
        }
        return true;
    }
}
