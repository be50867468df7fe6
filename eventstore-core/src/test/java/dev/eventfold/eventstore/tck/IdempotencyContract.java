package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Idempotency (DESIGN §4): an exact retry succeeds without writing and returns the original result, for every
 * expected-version mode; the same event id with other content or at another place is a duplicate.
 */
public abstract class IdempotencyContract extends ContractSupport {

    @Test
    void a_retry_with_an_exact_version_returns_the_original_result_and_writes_nothing() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));
        List<EventData> batch = events(2);
        AppendResult original = store.append(stream, ExpectedVersion.exactly(0), batch);

        AppendResult retried = store.append(stream, ExpectedVersion.exactly(0), batch);

        assertThat(retried).isEqualTo(original);
        assertThat(store.readStreamForward(stream)).hasSize(3);
        assertThat(store.readAll(LogPosition.START)).hasSize(3);
    }

    @Test
    void a_retry_with_no_stream_returns_the_original_result() {
        String stream = newStream("order");
        List<EventData> batch = events(3);
        AppendResult original = store.append(stream, ExpectedVersion.noStream(), batch);

        assertThat(store.append(stream, ExpectedVersion.noStream(), batch)).isEqualTo(original);
        assertThat(store.readStreamForward(stream)).hasSize(3);
    }

    @Test
    void a_retry_with_any_returns_the_original_result() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.any(), events(2));
        List<EventData> batch = events(2);
        AppendResult original = store.append(stream, ExpectedVersion.any(), batch);

        assertThat(store.append(stream, ExpectedVersion.any(), batch)).isEqualTo(original);
        assertThat(store.readStreamForward(stream)).hasSize(4);
    }

    @Test
    void a_retry_with_stream_exists_returns_the_original_result() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));
        EventData confirmed = event("OrderConfirmed");
        AppendResult original = store.append(stream, ExpectedVersion.streamExists(), confirmed);

        assertThat(store.append(stream, ExpectedVersion.streamExists(), confirmed)).isEqualTo(original);
        assertThat(store.readStreamForward(stream)).hasSize(2);
    }

    @Test
    void a_retry_succeeds_after_the_stream_has_moved_on() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");
        AppendResult original = store.append(stream, ExpectedVersion.noStream(), placed);
        store.append(stream, ExpectedVersion.exactly(0), events(2));

        AppendResult retried = store.append(stream, ExpectedVersion.noStream(), placed);

        assertThat(retried).isEqualTo(original);
        assertThat(retried.nextExpectedVersion()).isZero();
        assertThat(store.readStreamForward(stream)).hasSize(3);
    }

    @Test
    void a_single_event_retried_many_times_is_stored_once() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");
        AppendResult original = store.append(stream, ExpectedVersion.any(), placed);

        for (int i = 0; i < 5; i++) {
            assertThat(store.append(stream, ExpectedVersion.any(), placed)).isEqualTo(original);
        }

        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }

    @Test
    void a_retry_compares_payloads_as_json_values() {
        String stream = newStream("order");
        UUID id = UUID.randomUUID();
        EventData original = EventData.of(id, "OrderPlaced", "{\"a\":1,\"b\":[true,\"x\"]}");
        EventData respaced = EventData.of(id, "OrderPlaced", "{ \"b\" : [ true, \"x\" ],\n \"a\" : 1 }");
        AppendResult first = store.append(stream, ExpectedVersion.noStream(), original);

        assertThat(store.append(stream, ExpectedVersion.noStream(), respaced)).isEqualTo(first);
        assertThat(store.readStreamForward(stream)).hasSize(1);
    }

    @Test
    void the_same_id_with_another_payload_is_a_duplicate_and_writes_nothing() {
        String stream = newStream("order");
        UUID id = UUID.randomUUID();
        store.append(stream, ExpectedVersion.noStream(), EventData.of(id, "OrderPlaced", "{\"total\":10}"));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(),
                EventData.of(id, "OrderPlaced", "{\"total\":\"secret-payload-value\"}")))
                .isInstanceOfSatisfying(DuplicateEventException.class, e -> {
                    assertThat(e.eventId()).isEqualTo(id);
                    assertThat(e.streamId()).isEqualTo(stream);
                    assertThat(e.storedStreamId()).isEqualTo(stream);
                    assertThat(e.storedVersion()).isZero();
                    assertThat(e.reason()).isEqualTo(DuplicateEventException.Reason.DIFFERENT_CONTENT);
                })
                .hasMessageStartingWith("Duplicate event " + id + " appended to stream '" + stream
                        + "': already stored in stream '" + stream + "' at version 0 (")
                .hasMessageNotContaining("secret-payload-value");
        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }

    @Test
    void the_same_id_with_another_type_is_a_duplicate() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");
        store.append(stream, ExpectedVersion.noStream(), placed);

        EventData renamed = new EventData(placed.eventId(), "OrderCreated", placed.payload(), placed.metadata());
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), renamed))
                .isInstanceOf(DuplicateEventException.class);
        assertThat(store.readStreamForward(stream)).extracting(e -> e.type()).containsExactly("OrderPlaced");
    }

    @Test
    void the_same_id_with_other_metadata_is_a_duplicate() {
        String stream = newStream("order");
        EventData placed = event("OrderPlaced").withMetadata(Metadata.empty().withCorrelationId("c-1"));
        store.append(stream, ExpectedVersion.noStream(), placed);

        EventData other = placed.withMetadata(new Metadata("c-2", null, null, null, Map.of()));
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), other))
                .isInstanceOf(DuplicateEventException.class);
        assertThat(store.readStreamForward(stream)).hasSize(1);
    }

    @Test
    void the_same_id_in_another_stream_is_a_duplicate_and_creates_nothing() {
        String stream = newStream("order");
        String other = newStream("order");
        EventData placed = event("OrderPlaced");
        store.append(stream, ExpectedVersion.noStream(), placed);

        assertThatThrownBy(() -> store.append(other, ExpectedVersion.noStream(), placed))
                .isInstanceOfSatisfying(DuplicateEventException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(other);
                    assertThat(e.storedStreamId()).isEqualTo(stream);
                    assertThat(e.reason()).isEqualTo(DuplicateEventException.Reason.OTHER_PLACE);
                });
        assertThat(store.streamVersion(other)).isEqualTo(ExpectedVersion.NO_STREAM);
        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }

    @Test
    void the_same_id_at_another_version_of_the_stream_is_a_duplicate() {
        String stream = newStream("order");
        EventData first = event("OrderPlaced");
        store.append(stream, ExpectedVersion.noStream(), first);
        store.append(stream, ExpectedVersion.exactly(0), event("OrderConfirmed"));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(1), first))
                .isInstanceOfSatisfying(DuplicateEventException.class,
                        e -> {
                            assertThat(e.storedVersion()).isZero();
                            assertThat(e.reason()).isEqualTo(DuplicateEventException.Reason.OTHER_PLACE);
                        });
        assertThat(store.readStreamForward(stream)).hasSize(2);
    }

    @Test
    void a_batch_that_is_only_partly_stored_is_a_duplicate_and_writes_none_of_its_new_events() {
        String stream = newStream("order");
        List<EventData> original = events(2);
        store.append(stream, ExpectedVersion.noStream(), original);
        EventData fresh = event("OrderShipped");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(original.get(1), fresh)))
                .isInstanceOfSatisfying(DuplicateEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(DuplicateEventException.Reason.PARTIALLY_STORED));
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(fresh, original.get(0))))
                .isInstanceOf(DuplicateEventException.class);
        assertThat(idsOf(store.readAll(LogPosition.START))).containsExactlyElementsOf(dataIdsOf(original));
    }

    @Test
    void a_retry_in_another_order_is_a_duplicate() {
        String stream = newStream("order");
        List<EventData> original = events(2);
        store.append(stream, ExpectedVersion.noStream(), original);

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(),
                List.of(original.get(1), original.get(0))))
                .isInstanceOf(DuplicateEventException.class);
        assertThat(store.readStreamForward(stream)).hasSize(2);
    }

    @Test
    void payload_equality_is_by_value_not_identity() {
        String stream = newStream("order");
        UUID id = UUID.randomUUID();
        byte[] bytes = "{\"v\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AppendResult first = store.append(stream, ExpectedVersion.noStream(),
                new EventData(id, "T", Payload.ofJsonBytes(bytes), Metadata.empty()));

        AppendResult again = store.append(stream, ExpectedVersion.noStream(),
                new EventData(id, "T", Payload.ofJsonBytes(bytes.clone()), Metadata.empty()));

        assertThat(again).isEqualTo(first);
    }
}
