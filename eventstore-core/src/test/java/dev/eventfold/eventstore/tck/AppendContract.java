package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Appends: atomicity, contiguous versions, positions, and every expected-version mode. */
public abstract class AppendContract extends ContractSupport {

    @Test
    void a_new_store_is_empty() {
        String stream = newStream("order");
        assertLogIsEmpty(store);
        assertThat(store.readStreamForward(stream)).isEmpty();
        assertThat(store.streamVersion(stream)).isEqualTo(ExpectedVersion.NO_STREAM);
    }

    @Test
    void first_append_to_a_new_stream_gets_version_zero() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");

        AppendResult result = store.append(stream, ExpectedVersion.noStream(), placed);

        assertThat(result.nextExpectedVersion()).isZero();
        List<RecordedEvent> read = store.readStreamForward(stream);
        assertRecordedAs(read, List.of(placed));
        RecordedEvent recorded = read.get(0);
        assertThat(recorded.streamId()).isEqualTo(stream);
        assertThat(recorded.streamVersion()).isZero();
        assertThat(recorded.globalPosition()).isEqualTo(result.globalPositions().get(0));
        assertThat(recorded.transactionId()).isEqualTo(result.transactionId());
        assertThat(recorded.logPosition()).isEqualTo(result.lastLogPosition());
        assertThat(recorded.category()).isEqualTo("order");
    }

    @Test
    void a_batch_gets_contiguous_versions_increasing_positions_and_one_transaction() {
        String stream = newStream("order");
        List<EventData> batch = events(3);

        AppendResult result = store.append(stream, ExpectedVersion.noStream(), batch);

        assertThat(result.nextExpectedVersion()).isEqualTo(2);
        assertThat(result.globalPositions()).hasSize(3).isSorted().doesNotHaveDuplicates();
        List<RecordedEvent> read = store.readStreamForward(stream);
        assertRecordedAs(read, batch);
        assertThat(read).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L, 2L);
        assertThat(read).extracting(RecordedEvent::globalPosition).containsExactlyElementsOf(result.globalPositions());
        assertThat(read).extracting(RecordedEvent::transactionId).containsOnly(result.transactionId());
        assertThat(read).extracting(RecordedEvent::recordedAt).containsOnly(read.get(0).recordedAt());
    }

    @Test
    void a_read_then_append_loop_uses_the_version_it_read_for_a_new_and_an_existing_stream() {
        String stream = newStream("order");
        for (int i = 0; i < 3; i++) {
            store.append(stream, ExpectedVersion.of(store.streamVersion(stream)), event("Step"));
        }
        assertThat(store.readStreamForward(stream)).hasSize(3);
        long seen = store.streamVersion(stream);
        store.append(stream, ExpectedVersion.of(seen), event("Mine"));
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.of(seen), event("Stale")))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(ExpectedVersion.of(ExpectedVersion.NO_STREAM)).isEqualTo(ExpectedVersion.noStream());
        assertThatThrownBy(() -> ExpectedVersion.of(-2)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void appends_with_exact_version_continue_after_the_last_event() {
        String stream = newStream("order");
        AppendResult first = store.append(stream, ExpectedVersion.noStream(), events(2));
        List<EventData> more = events(2);

        AppendResult second = store.append(stream, ExpectedVersion.exactly(first.nextExpectedVersion()), more);

        assertThat(second.nextExpectedVersion()).isEqualTo(3);
        assertThat(second.lastLogPosition()).isGreaterThan(first.lastLogPosition());
        assertThat(store.readStreamForward(stream)).extracting(RecordedEvent::streamVersion)
                .containsExactly(0L, 1L, 2L, 3L);
        assertThat(store.streamVersion(stream)).isEqualTo(3);
    }

    @Test
    void a_stale_exact_version_is_rejected_and_writes_nothing() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(2));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(0), events(2)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(stream);
                    assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(0));
                    assertThat(e.actual()).isEqualTo(1);
                })
                .hasMessage("Wrong expected version for stream '" + stream + "': expected 0, actual 1");
        assertThat(store.readStreamForward(stream)).hasSize(2);
        assertThat(store.readAll(LogPosition.START)).hasSize(2);
    }

    @Test
    void an_exact_version_ahead_of_the_stream_is_rejected() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(2));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(5), event("Late")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actual()).isEqualTo(1))
                .hasMessage("Wrong expected version for stream '" + stream + "': expected 5, actual 1");
        assertThat(store.streamVersion(stream)).isEqualTo(1);
    }

    @Test
    void an_exact_version_on_a_missing_stream_is_rejected_with_actual_no_stream() {
        String stream = newStream("order");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(0), event("Late")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actual()).isEqualTo(ExpectedVersion.NO_STREAM))
                .hasMessage("Wrong expected version for stream '" + stream + "': expected 0, actual no stream");
        assertLogIsEmpty(store);
    }

    @Test
    void no_stream_on_an_existing_stream_is_rejected() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actual()).isZero())
                .hasMessage("Wrong expected version for stream '" + stream + "': expected no stream, actual 0");
        assertThat(store.readStreamForward(stream)).hasSize(1);
    }

    @Test
    void stream_exists_on_a_missing_stream_is_rejected_and_creates_nothing() {
        String stream = newStream("order");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.streamExists(), event("OrderConfirmed")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actual()).isEqualTo(ExpectedVersion.NO_STREAM))
                .hasMessage("Wrong expected version for stream '" + stream
                        + "': expected stream exists, actual no stream");
        assertThat(store.streamVersion(stream)).isEqualTo(ExpectedVersion.NO_STREAM);
        assertLogIsEmpty(store);
    }

    @Test
    void stream_exists_on_an_existing_stream_appends() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));

        AppendResult result = store.append(stream, ExpectedVersion.streamExists(), events(2));

        assertThat(result.nextExpectedVersion()).isEqualTo(2);
        assertThat(store.readStreamForward(stream)).hasSize(3);
    }

    @Test
    void any_appends_to_new_and_existing_streams() {
        String stream = newStream("order");

        AppendResult first = store.append(stream, ExpectedVersion.any(), event("OrderPlaced"));
        AppendResult second = store.append(stream, ExpectedVersion.any(), events(2));

        assertThat(first.nextExpectedVersion()).isZero();
        assertThat(second.nextExpectedVersion()).isEqualTo(2);
        assertThat(store.readStreamForward(stream)).extracting(RecordedEvent::streamVersion)
                .containsExactly(0L, 1L, 2L);
    }

    @Test
    void streams_have_independent_versions() {
        String first = newStream("order");
        String second = newStream("order");
        store.append(first, ExpectedVersion.noStream(), events(3));

        AppendResult result = store.append(second, ExpectedVersion.noStream(), event("OrderPlaced"));

        assertThat(result.nextExpectedVersion()).isZero();
        assertThat(store.streamVersion(first)).isEqualTo(2);
        assertThat(store.streamVersion(second)).isZero();
    }

    @Test
    void metadata_round_trips_with_every_field() {
        String stream = newStream("order");
        Metadata metadata = new Metadata("corr-1", "cause-2", "user-3", "tenant-4",
                Map.of("schemaVersion", "2", "traceparent", "00-abc-def-01", "empty", ""));
        EventData placed = event("OrderPlaced").withMetadata(metadata);

        store.append(stream, ExpectedVersion.noStream(), placed);

        RecordedEvent read = store.readStreamForward(stream).get(0);
        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.toEventData().eventId()).isEqualTo(placed.eventId());
    }

    @Test
    void payloads_round_trip_as_the_same_json_including_unicode_and_nesting() {
        String stream = newStream("order");
        EventData unicode = EventData.of(UUID.randomUUID(), "CustomerRenamed",
                "{\"name\":\"Zoë Ångström 🚀 漢字\",\"nested\":{\"list\":[1,2.5,-3e2,null,true],\"deep\":{\"x\":\"\\\"\"}}}");
        EventData scalar = EventData.of(UUID.randomUUID(), "Counted", "42");
        EventData array = EventData.of(UUID.randomUUID(), "Listed", "[\"a\",{\"b\":false}]");

        store.append(stream, ExpectedVersion.noStream(), List.of(unicode, scalar, array));

        assertRecordedAs(store.readStreamForward(stream), List.of(unicode, scalar, array));
    }

    @Test
    void later_appends_come_later_in_the_log() {
        String first = newStream("order");
        String second = newStream("customer");
        AppendResult a = store.append(first, ExpectedVersion.noStream(), events(2));
        AppendResult b = store.append(second, ExpectedVersion.noStream(), events(2));
        AppendResult c = store.append(first, ExpectedVersion.exactly(1), events(1));

        assertThat(List.of(a.lastLogPosition(), b.lastLogPosition(), c.lastLogPosition())).isSorted()
                .doesNotHaveDuplicates();
        assertThat(b.globalPositions().get(0)).isGreaterThan(a.globalPositions().get(1));
        assertThat(c.globalPositions().get(0)).isGreaterThan(b.globalPositions().get(1));
    }
}
