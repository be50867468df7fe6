package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of every contract suite: fixture lifecycle, a fresh empty {@link #store} per test, and small builders and
 * assertions. A store's test class extends a suite and implements {@link #createFixture()}, nothing else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture of this test class. */
    protected StoreFixture fixture;
    /** A new, empty store with the default limits, for the current test. */
    protected EventStore store;

    private final List<EventStore> opened = new ArrayList<>();

    /** @return the fixture for the store under test; called once per test class */
    protected abstract StoreFixture createFixture();

    @BeforeAll
    final void startFixture() {
        fixture = createFixture();
    }

    @AfterAll
    final void stopFixture() {
        fixture.close();
    }

    @BeforeEach
    final void openStore() {
        store = fixture.newStore(EventStoreLimits.defaults());
        opened.add(store);
    }

    @AfterEach
    final void closeStores() {
        for (EventStore each : opened) {
            each.close();
        }
        opened.clear();
    }

    /**
     * @param limits limits
     * @return another new, empty store with these limits, closed after the test
     */
    protected final EventStore storeWith(EventStoreLimits limits) {
        EventStore extra = fixture.newStore(limits);
        opened.add(extra);
        return extra;
    }

    /**
     * @param limits limits
     * @param listener the append listener
     * @return another new, empty store telling the listener of its appends, closed after the test
     */
    protected final EventStore storeWith(EventStoreLimits limits, AppendListener listener) {
        EventStore extra = fixture.newStore(limits, listener);
        opened.add(extra);
        return extra;
    }

    /**
     * @param capability a capability
     * @return whether the fixture declares it
     */
    protected final boolean supports(Capability capability) {
        return fixture.capabilities().contains(capability);
    }

    /**
     * @param category a category
     * @return a stream id in that category that no other test uses
     */
    protected static String newStream(String category) {
        return category + "-" + UUID.randomUUID();
    }

    /**
     * @param type a type
     * @return an event of that type with a small, distinct payload
     */
    protected static EventData event(String type) {
        UUID id = UUID.randomUUID();
        return EventData.of(id, type, "{\"id\":\"" + id + "\",\"amount\":12.50,\"tags\":[\"a\",\"b\"]}");
    }

    /**
     * @param count how many
     * @return that many distinct events of type {@code Tested}
     */
    protected static List<EventData> events(int count) {
        List<EventData> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(event("Tested"));
        }
        return list;
    }

    /**
     * Appends {@code count} events to a stream one append at a time.
     *
     * @param target the store
     * @param streamId the stream
     * @param count how many
     * @return the appended events
     */
    protected static List<EventData> appendEach(EventStore target, String streamId, int count) {
        List<EventData> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EventData e = event("Tested");
            target.append(streamId, ExpectedVersion.any(), e);
            appended.add(e);
        }
        return appended;
    }

    /**
     * Reads the whole log page by page.
     *
     * @param target the store
     * @return every event of the log in log order
     */
    protected static List<RecordedEvent> readWholeLog(EventStore target) {
        return LogReads.untilEmpty(target, EventFilter.all(), target.limits().maxEventsPerRead());
    }

    /** @return the event ids of the events, in order */
    protected static List<UUID> idsOf(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    /** @return the event ids of the event data, in order */
    protected static List<UUID> dataIdsOf(List<EventData> events) {
        return events.stream().map(EventData::eventId).toList();
    }

    /**
     * Asserts that recorded events are the given appended events, in order: same ids, types, metadata and JSON.
     *
     * @param actual what was read
     * @param expected what was appended
     */
    protected static void assertRecordedAs(List<RecordedEvent> actual, List<EventData> expected) {
        assertThat(idsOf(actual)).as("event ids in order").containsExactlyElementsOf(dataIdsOf(expected));
        for (int i = 0; i < expected.size(); i++) {
            RecordedEvent read = actual.get(i);
            EventData written = expected.get(i);
            assertThat(read.type()).as("type of event #%d", i).isEqualTo(written.type());
            assertThat(read.metadata()).as("metadata of event #%d", i).isEqualTo(written.metadata());
            assertSameJson(read.payload(), written.payload());
        }
    }

    /**
     * @param actual a payload read back
     * @param expected the payload written
     */
    protected static void assertSameJson(Payload actual, Payload expected) {
        JsonNode read = tree(actual);
        JsonNode written = tree(expected);
        assertThat(read.equals(SAME_NUMBER, written))
                .as("payload as JSON (numbers compared by value): expected %s but was %s", written, read).isTrue();
    }

    /** JSON equality with numbers compared by value: jsonb stores -3e2 and returns -300. */
    private static final java.util.Comparator<JsonNode> SAME_NUMBER = (x, y) -> {
        if (x.equals(y)) {
            return 0;
        }
        return x.isNumber() && y.isNumber() && x.decimalValue().compareTo(y.decimalValue()) == 0 ? 0 : 1;
    };

    private static JsonNode tree(Payload payload) {
        try {
            return JSON.readTree(payload.inputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that the store holds no event at all.
     *
     * @param target the store
     */
    protected static void assertLogIsEmpty(EventStore target) {
        assertThat(target.readAll(LogPosition.START)).as("events in the log").isEmpty();
    }
}
