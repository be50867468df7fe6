package dev.eventfold.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value types reject bad input when built, with messages that name the field. */
class ValuesTest {

    @Test
    void event_data_rejects_missing_parts_with_named_fields() {
        UUID id = UUID.randomUUID();
        Payload payload = Payload.ofJson("{}");
        assertThatThrownBy(() -> new EventData(null, "T", payload, Metadata.empty()))
                .isInstanceOf(InvalidEventException.class).hasMessage("Invalid event: eventId must not be null");
        assertThatThrownBy(() -> new EventData(id, " ", payload, Metadata.empty()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: type must not be blank (event " + id + ")");
        assertThatThrownBy(() -> new EventData(id, "T", null, Metadata.empty()))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("payload must not be null");
        assertThatThrownBy(() -> new EventData(id, "T", payload, null))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("metadata must not be null");
    }

    @Test
    void new_event_ids_are_version_7_and_carry_the_time() {
        long before = System.currentTimeMillis();
        UUID id = EventData.newEventId();
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        // The counter can carry into the timestamp after more than 4,096 ids in a millisecond (another test's), so
        // the id's time may run a little ahead of the clock, never behind it.
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after + 1_000);
        assertThat(EventData.of("T", "{}").eventId().version()).isEqualTo(7);
        assertThat(EventIds.of(0x0123_4567_89ABL, 0xCDE, -1L))
                .isEqualTo(UUID.fromString("01234567-89ab-7cde-bfff-ffffffffffff"));
    }

    @Test
    void the_random_bits_of_new_event_ids_do_not_repeat_across_refills_of_a_threads_share() {
        // Each thread draws random bits 64 ids at a time; 1,000 ids cross that refill 15 times.
        Set<Long> randomParts = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            randomParts.add(EventData.newEventId().getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL);
        }
        assertThat(randomParts).hasSize(1_000).doesNotContain(0L);
    }

    @Test
    void new_event_ids_increase_strictly_in_unsigned_order_across_threads() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        List<Future<UUID[]>> made = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                made.add(pool.submit(() -> {
                    UUID[] ids = new UUID[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = EventData.newEventId();
                    }
                    return ids;
                }));
            }
            Set<UUID> all = new HashSet<>();
            for (Future<UUID[]> future : made) {
                UUID[] ids = future.get();
                for (int i = 0; i < ids.length; i++) {
                    assertThat(all.add(ids[i])).as("unique").isTrue();
                    if (i > 0) {
                        // Each thread sees its ids grow as PostgreSQL's uuid type orders them (unsigned, bytewise).
                        assertThat(Long.compareUnsigned(ids[i].getMostSignificantBits(),
                                ids[i - 1].getMostSignificantBits())).isPositive();
                    }
                }
            }
            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Order Placed", "order\nplaced", "Ordér", "a,b", "x;y"})
    void event_types_allow_only_the_documented_characters(String type) {
        assertThatThrownBy(() -> EventData.of(type, "{}")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("may only contain letters, digits and . _ - : / $");
    }

    @Test
    void event_types_have_a_length_limit() {
        assertThat(EventData.of("T".repeat(200), "{}").type()).hasSize(200);
        assertThatThrownBy(() -> EventData.of("T".repeat(201), "{}")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("type is 201 characters, the limit is 200");
        assertThat(EventData.of("com.acme.Order$Placed:v2/x-y_z", "{}").type()).isNotBlank();
    }

    @Test
    void payloads_have_value_semantics_and_never_print_their_content() {
        byte[] bytes = "{\"secret\":1}".getBytes(StandardCharsets.UTF_8);
        Payload a = Payload.ofJsonBytes(bytes);
        bytes[2] = 'X';
        Payload b = Payload.ofJson("{\"secret\":1}");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.asString()).isEqualTo("{\"secret\":1}");
        assertThat(a.toString()).isEqualTo("Payload[12 bytes]");
        byte[] copy = a.toBytes();
        copy[0] = 'Y';
        assertThat(a.asString()).startsWith("{");
        assertThatThrownBy(() -> Payload.ofJson(null)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void metadata_validates_ids_and_headers_and_hides_values() {
        assertThatThrownBy(() -> Metadata.empty().withCorrelationId(" ")).isInstanceOf(InvalidEventException.class)
                .hasMessage("Invalid event: metadata correlationId must be absent (null) or non-blank");
        assertThatThrownBy(() -> Metadata.empty().withUserId("u".repeat(257)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("userId is 257 characters");
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("h", null);
        assertThatThrownBy(() -> new Metadata(null, null, null, null, nullValue))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("'h' must not have a null value");
        assertThatThrownBy(() -> Metadata.empty().withHeader("", "v")).isInstanceOf(InvalidEventException.class);

        Metadata metadata = Metadata.empty().withTenantId("t-1").withHeader("email", "jane@example.com");
        assertThat(metadata.toString()).doesNotContain("jane").doesNotContain("t-1");
        assertThat(metadata.isEmpty()).isFalse();
        assertThat(Metadata.empty().isEmpty()).isTrue();
    }

    @Test
    void expected_versions_describe_themselves_and_reject_negatives() {
        assertThat(ExpectedVersion.any().isSatisfiedBy(ExpectedVersion.NO_STREAM)).isTrue();
        assertThat(ExpectedVersion.noStream().isSatisfiedBy(0)).isFalse();
        assertThat(ExpectedVersion.streamExists().isSatisfiedBy(ExpectedVersion.NO_STREAM)).isFalse();
        assertThat(ExpectedVersion.exactly(3).isSatisfiedBy(3)).isTrue();
        assertThat(ExpectedVersion.exactly(3)).isEqualTo(ExpectedVersion.exactly(3));
        assertThat(ExpectedVersion.exactly(3)).hasToString("3");
        assertThat(ExpectedVersion.noStream()).hasToString("no stream");
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: expected version must be 0 or more (use noStream() for a new stream), "
                        + "was -1");
    }

    @Test
    void log_positions_order_by_transaction_then_position() {
        LogPosition earlyTxLatePosition = new LogPosition(5, 100);
        LogPosition lateTxEarlyPosition = new LogPosition(6, 90);

        assertThat(lateTxEarlyPosition.isAfter(earlyTxLatePosition)).isTrue();
        assertThat(new LogPosition(5, 101).isAfter(earlyTxLatePosition)).isTrue();
        assertThat(LogPosition.START.isAfter(new LogPosition(1, 1))).isFalse();
        assertThatThrownBy(() -> new LogPosition(-1, 0)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void categories_are_the_text_before_the_first_dash() {
        assertThat(Category.of("order-6f1c-77")).isEqualTo("order");
        assertThat(Category.of("inventory")).isEqualTo("inventory");
        assertThatThrownBy(() -> EventFilter.category("order-1")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> EventFilter.ofTypes()).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> EventFilter.ofTypes("A", null)).isInstanceOf(InvalidRequestException.class);
        assertThat(EventFilter.category("order").withTypes("A", "B").types()).isEqualTo(Set.of("A", "B"));
    }

    @Test
    void limits_name_the_setting_and_its_range() {
        assertThatThrownBy(() -> EventStoreLimits.builder().maxEventsPerRead(0))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: maxEventsPerRead must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> EventStoreLimits.builder().maxPayloadBytes(-5))
                .hasMessageContaining("maxPayloadBytes must be between 1 and 67108864, was -5");
        EventStoreLimits limits = EventStoreLimits.builder().maxEventsPerAppend(10).build();
        assertThat(limits.toBuilder().build()).isEqualTo(limits);
        assertThat(EventStoreLimits.defaults().maxEventsPerRead()).isEqualTo(1000);
    }

    @Test
    void append_results_hold_one_position_per_event() {
        assertThatThrownBy(() -> new AppendResult(0, List.of(), 1))
                .isInstanceOf(InvalidRequestException.class);
        AppendResult result = new AppendResult(4, List.of(7L, 9L), 3);
        assertThat(result.lastLogPosition()).isEqualTo(new LogPosition(3, 9));
    }

    @Test
    void exception_messages_follow_one_format() {
        assertThat(new WrongExpectedVersionException("order-1", ExpectedVersion.streamExists(), -1))
                .hasMessage("Wrong expected version for stream 'order-1': expected stream exists, actual no stream");
        assertThat(new StreamDeletedException("order-1"))
                .hasMessage("Stream 'order-1' is deleted (tombstoned); it cannot be read or appended to");
        assertThat(new EventStoreUnavailableException("pool exhausted (active=20)", null))
                .hasMessage("Event store unavailable: pool exhausted (active=20)");
    }
}
