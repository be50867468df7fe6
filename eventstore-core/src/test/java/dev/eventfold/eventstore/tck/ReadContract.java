package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Reads: a stream in both directions, the log with paging, categories and type filters. */
public abstract class ReadContract extends ContractSupport {

    /** How long a log read goes on past empty pages (another session's open transaction holds events back). */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private List<EventData> tenEvents(String stream) {
        List<EventData> written = events(10);
        store.append(stream, ExpectedVersion.noStream(), written);
        return written;
    }

    @Test
    void reading_forward_from_a_version_returns_that_version_onward() {
        String stream = newStream("order");
        List<EventData> written = tenEvents(stream);

        List<RecordedEvent> page = store.readStreamForward(stream, 3, 4);

        assertThat(page).extracting(RecordedEvent::streamVersion).containsExactly(3L, 4L, 5L, 6L);
        assertRecordedAs(page, written.subList(3, 7));
    }

    @Test
    void reading_for_folding_returns_what_the_forward_read_does_in_the_folding_view() {
        String stream = newStream("order");
        List<EventData> written = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Metadata metadata = i % 2 == 0 ? Metadata.empty().withCorrelationId("c-" + i)
                    : Metadata.empty().withHeader(StreamEvent.SCHEMA_VERSION_HEADER, Integer.toString(i))
                            .withHeader("other", "x");
            written.add(new EventData(UUID.randomUUID(), "Numbered" + i, Payload.ofJson("{\"n\":" + i + "}"),
                    metadata));
        }
        store.append(stream, ExpectedVersion.noStream(), written);

        List<StreamEvent> folded = store.readStreamForFolding(stream, 1, 4);

        assertThat(folded).containsExactlyElementsOf(
                store.readStreamForward(stream, 1, 4).stream().map(StreamEvent::of).toList());
        assertThat(folded).extracting(StreamEvent::streamVersion).containsExactly(1L, 2L, 3L, 4L);
        assertThat(folded).extracting(StreamEvent::schemaVersion).containsExactly("1", null, "3", null);
        assertThat(folded).extracting(StreamEvent::type).containsExactly("Numbered1", "Numbered2", "Numbered3",
                "Numbered4");
        assertThat(folded).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(stream));
        assertThat(store.readStreamForFolding(stream, 6, 10)).isEmpty();
        assertThat(store.readStreamForFolding(newStream("order"), 0, 10)).isEmpty();
        assertThat(store.readStreamForFolding(stream, 0, 6)).as("only the stream's last event may be marked last")
                .filteredOn(StreamEvent::last).extracting(StreamEvent::streamVersion).isSubsetOf(5L);
    }

    @Test
    void folding_a_stream_hands_over_every_event_in_order_across_pages_and_stops_when_told() {
        EventStore small = storeWith(EventStoreLimits.builder().maxEventsPerRead(5).build());
        String stream = newStream("order");
        small.append(stream, ExpectedVersion.noStream(), events(23));
        List<StreamEvent> expected = new ArrayList<>();
        for (long from = 0; from < 23; from += 5) {
            expected.addAll(small.readStreamForFolding(stream, from, 5));
        }

        List<StreamEvent> all = new ArrayList<>();
        small.foldStream(stream, 0, all::add);
        assertThat(all).as("every event once, in order, over pages of 5").containsExactlyElementsOf(expected);

        List<StreamEvent> three = new ArrayList<>();
        small.foldStream(stream, 10, event -> three.add(event) && three.size() < 3);
        assertThat(three).extracting(StreamEvent::streamVersion).containsExactly(10L, 11L, 12L);

        List<StreamEvent> none = new ArrayList<>();
        small.foldStream(newStream("order"), 0, none::add);
        small.foldStream(stream, 23, none::add);
        assertThat(none).isEmpty();
    }

    @Test
    void reading_forward_past_the_last_version_is_empty() {
        String stream = newStream("order");
        tenEvents(stream);

        assertThat(store.readStreamForward(stream, 10, 5)).isEmpty();
        assertThat(store.readStreamForward(stream, 9, 5)).extracting(RecordedEvent::streamVersion)
                .containsExactly(9L);
    }

    @Test
    void reading_backward_from_the_end_returns_newest_first() {
        String stream = newStream("order");
        tenEvents(stream);

        assertThat(store.readStreamBackward(stream)).extracting(RecordedEvent::streamVersion)
                .containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void reading_backward_from_a_version_with_a_count() {
        String stream = newStream("order");
        tenEvents(stream);

        assertThat(store.readStreamBackward(stream, 5, 3)).extracting(RecordedEvent::streamVersion)
                .containsExactly(5L, 4L, 3L);
        assertThat(store.readStream(stream, ReadDirection.BACKWARD, 1, 5))
                .extracting(RecordedEvent::streamVersion).containsExactly(1L, 0L);
    }

    @Test
    void reading_backward_from_beyond_the_end_starts_at_the_last_event() {
        String stream = newStream("order");
        tenEvents(stream);

        assertThat(store.readStreamBackward(stream, 100, 2)).extracting(RecordedEvent::streamVersion)
                .containsExactly(9L, 8L);
    }

    @Test
    void a_missing_stream_reads_as_empty_in_both_directions() {
        String other = newStream("order");
        tenEvents(other);
        String missing = newStream("order");

        assertThat(store.readStreamForward(missing)).isEmpty();
        assertThat(store.readStreamBackward(missing)).isEmpty();
        assertThat(store.streamVersion(missing)).isEqualTo(ExpectedVersion.NO_STREAM);
    }

    @Test
    void the_default_page_is_max_events_per_read() {
        EventStore small = storeWith(EventStoreLimits.builder().maxEventsPerRead(5).build());
        String stream = newStream("order");
        small.append(stream, ExpectedVersion.noStream(), events(7));

        assertThat(small.readStreamForward(stream)).hasSize(5);
        assertThat(small.readStreamBackward(stream)).extracting(RecordedEvent::streamVersion)
                .containsExactly(6L, 5L, 4L, 3L, 2L);
        assertThat(small.readAll(LogPosition.START)).hasSize(5);
    }

    @Test
    void the_log_holds_every_event_once_in_increasing_log_positions() {
        String a = newStream("order");
        String b = newStream("customer");
        List<EventData> expected = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            List<EventData> forA = events(2);
            List<EventData> forB = events(1);
            store.append(a, ExpectedVersion.any(), forA);
            store.append(b, ExpectedVersion.any(), forB);
            expected.addAll(forA);
            expected.addAll(forB);
        }

        List<RecordedEvent> log = store.readAll(LogPosition.START);

        assertRecordedAs(log, expected);
        assertThat(log).extracting(RecordedEvent::logPosition).isSorted().doesNotHaveDuplicates();
        assertThat(log).extracting(RecordedEvent::globalPosition).doesNotHaveDuplicates();
        assertThat(log.stream().filter(e -> e.streamId().equals(a)).map(RecordedEvent::streamVersion))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void paging_through_the_log_after_the_last_position_skips_and_repeats_nothing() {
        for (int i = 0; i < 5; i++) {
            store.append(newStream("order"), ExpectedVersion.noStream(), events(5));
        }
        List<RecordedEvent> whole = LogReads.patiently(store, EventFilter.all(), 1000, 25, PATIENCE);

        List<RecordedEvent> paged = LogReads.patiently(store, EventFilter.all(), 7, 25, PATIENCE);

        assertThat(whole).hasSize(25);
        assertThat(idsOf(paged)).containsExactlyElementsOf(idsOf(whole));
    }

    @Test
    void reading_after_the_last_position_is_empty_until_something_is_appended() {
        String stream = newStream("order");
        tenEvents(stream);
        LogPosition last = store.readAll(LogPosition.START).get(9).logPosition();

        assertThat(store.readAll(last)).isEmpty();

        EventData later = event("OrderShipped");
        store.append(stream, ExpectedVersion.exactly(9), later);
        assertRecordedAs(store.readAll(last), List.of(later));
    }

    @Test
    void a_category_read_returns_only_streams_of_that_category() {
        String order1 = newStream("order");
        String order2 = newStream("order");
        String orderLine = newStream("orderline");
        String customer = "customer";
        EventData o1 = event("OrderPlaced");
        EventData l1 = event("LineAdded");
        EventData c1 = event("CustomerRegistered");
        EventData o2 = event("OrderPlaced");
        store.append(order1, ExpectedVersion.noStream(), o1);
        store.append(orderLine, ExpectedVersion.noStream(), l1);
        store.append(customer, ExpectedVersion.noStream(), c1);
        store.append(order2, ExpectedVersion.noStream(), o2);

        assertRecordedAs(store.readCategory("order", LogPosition.START, 100), List.of(o1, o2));
        assertRecordedAs(store.readCategory("orderline", LogPosition.START, 100), List.of(l1));
        assertRecordedAs(store.readCategory("customer", LogPosition.START, 100), List.of(c1));
    }

    @Test
    void a_type_filter_returns_only_those_types_in_log_order() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");
        EventData confirmed = event("OrderConfirmed");
        EventData shipped = event("OrderShipped");
        EventData other = event("OrderPlaced");
        store.append(stream, ExpectedVersion.noStream(), List.of(placed, confirmed, shipped));
        store.append(newStream("order"), ExpectedVersion.noStream(), other);

        List<RecordedEvent> read = store.readAll(LogPosition.START, EventFilter.ofTypes("OrderPlaced", "OrderShipped"),
                100);

        assertRecordedAs(read, List.of(placed, shipped, other));
    }

    @Test
    void category_and_type_filters_combine() {
        EventData wanted = event("Placed");
        store.append(newStream("order"), ExpectedVersion.noStream(), List.of(wanted, event("Confirmed")));
        store.append(newStream("invoice"), ExpectedVersion.noStream(), event("Placed"));

        List<RecordedEvent> read = store.readAll(LogPosition.START, EventFilter.category("order").withTypes("Placed"),
                100);

        assertRecordedAs(read, List.of(wanted));
    }

    @Test
    void a_filtered_read_pages_through_many_non_matching_events() {
        List<EventData> wanted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            store.append(newStream("noise"), ExpectedVersion.noStream(), events(20));
            EventData one = event("Wanted");
            store.append(newStream("signal"), ExpectedVersion.noStream(), one);
            wanted.add(one);
        }

        List<RecordedEvent> found = LogReads.patiently(store, EventFilter.category("signal"), 4, wanted.size(), PATIENCE);

        assertRecordedAs(found, wanted);
    }

    @Test
    void a_stream_without_a_dash_is_its_own_category() {
        EventData counted = event("Counted");
        store.append("inventory", ExpectedVersion.noStream(), counted);
        store.append(newStream("inventory"), ExpectedVersion.noStream(), event("Counted"));

        List<RecordedEvent> read = store.readCategory("inventory", LogPosition.START, 10);

        assertThat(read).hasSize(2);
        assertThat(read.get(0).eventId()).isEqualTo(counted.eventId());
        assertThat(read).extracting(RecordedEvent::category).containsOnly("inventory");
    }

    @Test
    void stream_and_log_reads_agree_on_positions() {
        String stream = newStream("order");
        tenEvents(stream);
        Set<String> fromStream = new HashSet<>();
        store.readStreamForward(stream).forEach(e -> fromStream.add(e.eventId() + "@" + e.logPosition()));
        Set<String> fromLog = new HashSet<>();
        store.readAll(LogPosition.START).forEach(e -> fromLog.add(e.eventId() + "@" + e.logPosition()));

        assertThat(fromStream).hasSize(10).isEqualTo(fromLog);
    }
}
