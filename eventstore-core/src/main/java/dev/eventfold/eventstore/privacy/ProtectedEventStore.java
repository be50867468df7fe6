package dev.eventfold.eventstore.privacy;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ForwardingEventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.internal.JsonDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** An {@link EventStore} that encrypts personal fields on append and decrypts them on every read. */
final class ProtectedEventStore extends ForwardingEventStore {

    private final PersonalDataProtection protection;

    ProtectedEventStore(EventStore delegate, PersonalDataProtection protection) {
        super(delegate);
        this.protection = protection;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
        if (events == null || events.isEmpty() || events.stream().anyMatch(java.util.Objects::isNull)) {
            return delegate().append(streamId, expected, events); // the store's own error
        }
        List<EventData> sealed = new ArrayList<>(events.size());
        for (EventData event : events) {
            sealed.add(protection.encrypt(event));
        }
        try {
            return delegate().append(streamId, expected, sealed);
        } catch (DuplicateEventException e) {
            return retryWithStoredCiphertexts(streamId, expected, events, sealed, e).orElseThrow(() -> e);
        }
    }

    /**
     * Every encryption has a fresh nonce, so an exact retry differs from the stored events in its ciphertexts and the
     * store calls it a duplicate. If the stored events decrypt to exactly what is appended again, the append is
     * repeated with the stored ciphertexts and the store answers it with the original result.
     */
    private Optional<AppendResult> retryWithStoredCiphertexts(String streamId, ExpectedVersion expected,
            List<EventData> events, List<EventData> sealed, DuplicateEventException e) {
        if (e.reason() != DuplicateEventException.Reason.DIFFERENT_CONTENT || sealed.equals(events)) {
            return Optional.empty();
        }
        Map<UUID, RecordedEvent> stored = storedAround(e, events.size());
        List<EventData> original = new ArrayList<>(events.size());
        for (EventData event : events) {
            RecordedEvent match = stored.get(event.eventId());
            if (match == null) {
                return Optional.empty();
            }
            RecordedEvent plain = protection.decrypt(match);
            if (!plain.type().equals(event.type()) || !plain.metadata().equals(event.metadata())
                    || !JsonDocuments.sameJson(plain.payload(), event.payload())) {
                return Optional.empty();
            }
            original.add(new EventData(event.eventId(), event.type(), match.payload(), event.metadata()));
        }
        return Optional.of(delegate().append(streamId, expected, original));
    }

    private List<RecordedEvent> decrypted(List<RecordedEvent> events) {
        List<RecordedEvent> plain = new ArrayList<>(events.size());
        for (RecordedEvent event : events) {
            plain.add(protection.decrypt(event));
        }
        return plain;
    }

    @Override
    public List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion,
            int maxCount) {
        return decrypted(delegate().readStream(streamId, direction, fromVersion, maxCount));
    }

    @Override
    public List<StreamEvent> readStreamForFolding(String streamId, long fromVersion, int maxCount) {
        List<StreamEvent> events = delegate().readStreamForFolding(streamId, fromVersion, maxCount);
        List<StreamEvent> plain = new ArrayList<>(events.size());
        for (StreamEvent event : events) {
            plain.add(protection.decrypt(event));
        }
        return plain;
    }

    @Override
    public void foldStream(String streamId, long fromVersion, java.util.function.Predicate<StreamEvent> each) {
        if (each == null) {
            throw new dev.eventfold.eventstore.InvalidRequestException("each must not be null");
        }
        delegate().foldStream(streamId, fromVersion, event -> each.test(protection.decrypt(event)));
    }

    @Override
    public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
        return decrypted(delegate().readAll(after, filter, maxCount));
    }

    @Override
    public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
        return delegate().subscribe(after, filter, handler == null ? null
                : event -> handler.handle(protection.decrypt(event)));
    }
}
