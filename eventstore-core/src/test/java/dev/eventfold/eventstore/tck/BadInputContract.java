package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each case is a specific typed exception whose message names the problem (and never quotes payloads),
 * and nothing is written: every test reads the store afterwards.
 */
public abstract class BadInputContract extends ContractSupport {

    private static final String SECRET = "s3cr3t-personal-data";

    private static EventData withPayload(String json) {
        return new EventData(UUID.randomUUID(), "Tested", Payload.ofJson(json), Metadata.empty());
    }

    @Test
    void a_null_stream_id_is_rejected() {
        assertThatThrownBy(() -> store.append(null, ExpectedVersion.any(), event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: streamId must not be null");
        assertThatThrownBy(() -> store.readStreamForward(null)).isInstanceOf(InvalidRequestException.class);
        assertLogIsEmpty(store);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void a_blank_stream_id_is_rejected(String streamId) {
        assertThatThrownBy(() -> store.append(streamId, ExpectedVersion.any(), event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: streamId must not be blank");
        assertLogIsEmpty(store);
    }

    @ParameterizedTest
    @ValueSource(strings = {"order 1", "order/1", "order\n1", "-order", "order#1", "ordér-1", "order-1;drop"})
    void a_stream_id_with_characters_outside_the_pattern_is_rejected(String streamId) {
        assertThatThrownBy(() -> store.append(streamId, ExpectedVersion.any(), event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("does not match the pattern");
        assertThatThrownBy(() -> store.readStreamForward(streamId)).isInstanceOf(InvalidRequestException.class);
        assertLogIsEmpty(store);
    }

    @Test
    void a_reserved_stream_id_is_rejected() {
        assertThatThrownBy(() -> store.append("$all", ExpectedVersion.any(), event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: streamId '$all' starts with '$', which is reserved for the store's "
                        + "own streams");
        assertLogIsEmpty(store);
    }

    @Test
    void a_stream_id_over_the_length_limit_is_rejected() {
        String tooLong = "order-" + "x".repeat(195);
        assertThat(tooLong).hasSize(201);

        assertThatThrownBy(() -> store.append(tooLong, ExpectedVersion.any(), event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: streamId is 201 characters, the limit is 200");
        store.append(tooLong.substring(0, 200), ExpectedVersion.noStream(), event("Tested"));
        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }

    @Test
    void a_null_expected_version_is_rejected() {
        String stream = newStream("order");
        assertThatThrownBy(() -> store.append(stream, null, event("Tested")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("expected version must not be null");
        assertLogIsEmpty(store);
    }

    @Test
    void an_empty_or_null_batch_is_rejected() {
        String stream = newStream("order");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: stream '" + stream + "': an append needs at least one event");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), (List<EventData>) null))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), (EventData) null))
                .isInstanceOf(InvalidEventException.class);
        assertLogIsEmpty(store);
    }

    @Test
    void a_null_event_inside_a_batch_is_rejected_and_no_event_of_the_batch_is_written() {
        String stream = newStream("order");
        List<EventData> batch = new ArrayList<>(Arrays.asList(event("Tested"), null, event("Tested")));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), batch))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: stream '" + stream + "' event #1 is null");
        assertLogIsEmpty(store);
    }

    @Test
    void the_same_event_id_twice_in_one_batch_is_rejected() {
        String stream = newStream("order");
        EventData twice = event("Tested");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(),
                List.of(event("Tested"), twice, twice)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: stream '" + stream + "' event #2 (id " + twice.eventId()
                        + "): the same event id appears twice in one append");
        assertLogIsEmpty(store);
    }

    @Test
    void more_events_than_the_limit_are_rejected() {
        EventStore limited = storeWith(EventStoreLimits.builder().maxEventsPerAppend(3).build());
        String stream = newStream("order");

        assertThatThrownBy(() -> limited.append(stream, ExpectedVersion.any(), events(4)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: stream '" + stream + "': 4 events in one append, the limit is 3");
        assertLogIsEmpty(limited);
        limited.append(stream, ExpectedVersion.noStream(), events(3));
        assertThat(limited.readStreamForward(stream)).hasSize(3);
    }

    @Test
    void an_oversized_payload_is_rejected_with_the_rest_of_its_batch() {
        EventStore limited = storeWith(EventStoreLimits.builder().maxPayloadBytes(100).build());
        String stream = newStream("order");
        EventData big = withPayload("{\"secret\":\"" + SECRET + "\",\"pad\":\"" + "x".repeat(100) + "\"}");

        assertThatThrownBy(() -> limited.append(stream, ExpectedVersion.any(), List.of(event("Tested"), big)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: stream '" + stream + "' event #1 (id " + big.eventId() + "): payload is "
                        + big.payload().size() + " bytes, the limit is 100")
                .hasMessageNotContaining(SECRET);
        assertLogIsEmpty(limited);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{\"a\" 1}", "not json", "{'a':1}", "[1,2,,3]", "{\"a\":1}}", "{} {}",
            "\"unterminated", "NaN"})
    void a_payload_that_is_not_one_well_formed_json_value_is_rejected(String json) {
        String stream = newStream("order");
        EventData bad = withPayload(json);

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), List.of(event("Tested"), bad)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("Invalid event: stream '" + stream + "' event #1 (id " + bad.eventId()
                        + "): payload is not one well-formed JSON value: ");
        assertLogIsEmpty(store);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void an_empty_payload_is_rejected(String json) {
        String stream = newStream("order");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), withPayload(json)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("payload is not one well-formed JSON value");
        assertLogIsEmpty(store);
    }

    @Test
    void a_payload_that_postgres_jsonb_cannot_store_is_rejected_by_every_store() {
        String stream = newStream("order");

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), withPayload("{\"a\":\"x\\u0000y\"}")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), withPayload("{\"a\":\"\\ud800\"}")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("unpaired");
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(),
                new EventData(UUID.randomUUID(), "Tested", Payload.ofJsonBytes(invalidUtf8), Metadata.empty())))
                .isInstanceOf(InvalidEventException.class);
        assertLogIsEmpty(store);
    }

    @Test
    void oversized_metadata_is_rejected() {
        EventStore limited = storeWith(EventStoreLimits.builder().maxMetadataBytes(64).build());
        String stream = newStream("order");
        EventData heavy = event("Tested").withMetadata(Metadata.empty().withHeader("note", SECRET.repeat(5)));

        assertThatThrownBy(() -> limited.append(stream, ExpectedVersion.any(), heavy))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageEndingWith("metadata is 104 bytes, the limit is 64")
                .hasMessageNotContaining(SECRET);
        assertLogIsEmpty(limited);
    }

    @Test
    void metadata_with_a_nul_character_is_rejected() {
        String stream = newStream("order");
        EventData bad = event("Tested").withMetadata(new Metadata(null, null, null, null, Map.of("h", "a\u0000b")));

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), bad))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("U+0000");
        assertLogIsEmpty(store);
    }

    @Test
    void a_negative_from_version_is_rejected() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("Tested"));

        assertThatThrownBy(() -> store.readStreamForward(stream, -1, 10))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: fromVersion must be 0 or more, was -1");
        assertThatThrownBy(() -> store.readStreamBackward(stream, -5, 10))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.readStreamForFolding(stream, -1, 10))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: fromVersion must be 0 or more, was -1");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE})
    void a_max_count_outside_one_to_the_limit_is_rejected(int maxCount) {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("Tested"));

        assertThatThrownBy(() -> store.readStream(stream, ReadDirection.FORWARD, 0, maxCount))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: maxCount must be between 1 and 1000, was " + maxCount);
        assertThatThrownBy(() -> store.readAll(LogPosition.START, maxCount))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.readStreamForFolding(stream, 0, maxCount))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: maxCount must be between 1 and 1000, was " + maxCount);
    }

    @Test
    void null_read_and_subscribe_arguments_are_rejected() {
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("Tested"));

        assertThatThrownBy(() -> store.readStream(stream, null, 0, 10)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.readAll(null)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: after must not be null (use LogPosition.START)");
        assertThatThrownBy(() -> store.readAll(LogPosition.START, null, 10))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> store.subscribe(LogPosition.START, EventFilter.all(), null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: handler must not be null");
        assertThatThrownBy(() -> store.subscribe(null, EventFilter.all(), e -> { }))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }
}
