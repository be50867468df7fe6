package dev.eventfold.eventstore.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Crypto-shredding over the in-memory store; {@code PostgresPersonalDataTest} does the same on PostgreSQL. */
class PersonalDataProtectionTest {

    static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
            .event("OrderPlaced", "/customerId", "/customer", "/note")
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryEventStore raw = InMemoryEventStore.create();
    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private final PersonalDataProtection protection = PersonalDataProtection.create(POLICY, keys, Duration.ZERO);
    private final EventStore store = protection.protect(raw);

    @AfterEach
    void close() {
        raw.close();
    }

    static EventData placed(String customerId, String name) {
        return EventData.of("OrderPlaced", "{\"orderId\":\"o-1\",\"customerId\":\"" + customerId + "\",\"total\":12.5,"
                + "\"customer\":{\"name\":\"" + name + "\",\"email\":\"" + name.toLowerCase() + "@example.org\"},"
                + "\"note\":\"ring twice\"}");
    }

    private static JsonNode json(RecordedEvent event) throws Exception {
        return JSON.readTree(event.payload().toBytes());
    }

    @Test
    void personal_fields_are_stored_encrypted_and_read_back_as_written_everywhere() throws Exception {
        EventData event = placed("c-1", "Ada");
        store.append("order-1", ExpectedVersion.noStream(), event);

        String stored = raw.readStreamForward("order-1").get(0).payload().asString();
        assertThat(stored).doesNotContain("Ada", "ada@example.org", "ring twice").contains("\"$pd\"", "\"c-1\"",
                "12.5");
        JsonNode original = JSON.readTree(event.payload().toBytes());
        assertThat(json(store.readStreamForward("order-1").get(0))).isEqualTo(original);
        assertThat(json(store.readAll(LogPosition.START).get(0))).isEqualTo(original);
        assertThat(JSON.readTree(store.readStreamForFolding("order-1", 0, 10).get(0).payload().toBytes()))
                .isEqualTo(original);
        Map<String, JsonNode> delivered = new ConcurrentHashMap<>();
        Subscription subscription = store.subscribe(LogPosition.START, EventFilter.all(),
                e -> delivered.put(e.streamId(), json(e)));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
        } finally {
            subscription.close();
        }
        assertThat(delivered.get("order-1")).isEqualTo(original);
    }

    @Test
    void forgetting_a_subject_redacts_its_fields_and_keeps_everything_else() throws Exception {
        store.append("order-1", ExpectedVersion.noStream(), placed("c-1", "Ada"));
        store.append("order-2", ExpectedVersion.noStream(), placed("c-2", "Bob"));

        assertThat(protection.forgottenAt("c-1")).isEmpty();
        assertThat(protection.forget("c-1")).isEqualTo(new PersonalDataProtection.Forgotten("c-1", 1));
        assertThat(protection.forgottenAt("c-1")).isPresent();
        assertThat(protection.forgottenAt("c-2")).isEmpty();

        RecordedEvent forgotten = store.readStreamForward("order-1").get(0);
        JsonNode payload = json(forgotten);
        assertThat(payload.get("customer").isNull()).isTrue();
        assertThat(payload.get("note").isNull()).isTrue();
        assertThat(payload.get("customerId").asText()).isEqualTo("c-1");
        assertThat(payload.get("total").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(forgotten.metadata().headers()).containsEntry(PersonalDataProtection.REDACTED_HEADER,
                "forgotten");
        assertThat(json(store.readStreamForward("order-2").get(0)).at("/customer/name").asText()).isEqualTo("Bob");
        assertThat(store.readStreamForward("order-2").get(0).metadata().headers())
                .doesNotContainKey(PersonalDataProtection.REDACTED_HEADER);
        assertThat(protection.forget("c-1").keysDestroyed()).as("idempotent").isZero();
        assertThat(json(store.readStreamForward("order-1").get(0)).get("customer").isNull()).isTrue();

        store.append("order-3", ExpectedVersion.noStream(), placed("c-1", "Ada"));
        assertThat(json(store.readStreamForward("order-3").get(0)).at("/customer/name").asText())
                .as("data given after the erasure is new data, under a new key").isEqualTo("Ada");
        assertThat(json(store.readStreamForward("order-1").get(0)).get("customer").isNull()).isTrue();
    }

    @Test
    void access_logging_names_the_subject_and_event_of_each_decryption_and_nothing_more() {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        PersonalDataProtection logged = PersonalDataProtection.create(POLICY, keys, Duration.ZERO,
                (subject, streamId, version) -> log.add(subject + " " + streamId + "@" + version));
        EventStore audited = logged.protect(raw);
        audited.append("order-1", ExpectedVersion.noStream(), placed("c-1", "Ada"));
        audited.append("order-1", ExpectedVersion.exactly(0), EventData.of("OrderConfirmed", "{}"));
        audited.append("order-2", ExpectedVersion.noStream(), placed("c-2", "Bob"));
        assertThat(log).as("appending is not reading").isEmpty();

        audited.readStreamForward("order-1");
        audited.readStreamForFolding("order-2", 0, 10);
        logged.forget("c-2");
        audited.readStreamForward("order-2");

        assertThat(log).containsExactly("c-1 order-1@0", "c-2 order-2@0");
    }

    @Test
    void a_rotated_key_encrypts_new_events_and_the_old_one_still_reads_old_ones() throws Exception {
        store.append("order-1", ExpectedVersion.noStream(), placed("c-1", "Ada"));
        SubjectKey first = keys.currentKey("c-1");
        SubjectKey second = protection.rotate("c-1");
        store.append("order-2", ExpectedVersion.noStream(), placed("c-1", "Ada"));

        assertThat(raw.readStreamForward("order-1").get(0).payload().asString()).contains(first.keyId().toString());
        assertThat(raw.readStreamForward("order-2").get(0).payload().asString()).contains(second.keyId().toString());
        assertThat(json(store.readStreamForward("order-1").get(0)).at("/customer/name").asText()).isEqualTo("Ada");
        assertThat(json(store.readStreamForward("order-2").get(0)).at("/customer/name").asText()).isEqualTo("Ada");
        assertThat(protection.forget("c-1").keysDestroyed()).isEqualTo(2);
    }

    @Test
    void a_ciphertext_altered_or_moved_to_another_subject_is_refused() {
        store.append("order-1", ExpectedVersion.noStream(), placed("c-1", "Ada"));
        store.append("order-2", ExpectedVersion.noStream(), placed("c-2", "Bob"));
        String adas = raw.readStreamForward("order-1").get(0).payload().asString();
        String moved = adas.replace("\"customerId\":\"c-1\"", "\"customerId\":\"c-2\"");
        raw.append("order-3", ExpectedVersion.noStream(), EventData.of("OrderPlaced", moved));
        String altered = adas.replaceFirst("\"c\":\"(.)", "\"c\":\"" + (adas.contains("\"c\":\"A") ? "B" : "A"));
        raw.append("order-4", ExpectedVersion.noStream(), EventData.of("OrderPlaced", altered));

        assertThatThrownBy(() -> store.readStreamForward("order-3")).isInstanceOf(PersonalDataException.class)
                .hasMessageContaining("order-3@0").hasMessageNotContaining("Ada");
        assertThatThrownBy(() -> store.readStreamForward("order-4")).isInstanceOf(PersonalDataException.class);
    }

    @Test
    void personal_data_without_a_subject_is_refused_and_nothing_is_written() {
        EventData anonymous = EventData.of("OrderPlaced", "{\"orderId\":\"o-1\",\"customer\":{\"name\":\"Ada\"}}");
        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), anonymous))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("no subject id at /customerId")
                .hasMessageNotContaining("Ada");
        assertThat(raw.readAll(LogPosition.START)).isEmpty();

        EventData none = EventData.of("OrderPlaced", "{\"orderId\":\"o-2\",\"customer\":null}");
        store.append("order-2", ExpectedVersion.noStream(), none);
        assertThat(raw.readStreamForward("order-2").get(0).payload()).isEqualTo(none.payload());
    }

    @Test
    void an_exact_retry_gets_the_original_result_and_a_changed_one_is_a_duplicate() {
        EventData event = placed("c-1", "Ada");
        AppendResult original = store.append("order-1", ExpectedVersion.noStream(), event);

        assertThat(store.append("order-1", ExpectedVersion.noStream(), event)).isEqualTo(original);
        assertThat(raw.readAll(LogPosition.START)).hasSize(1);
        EventData changed = new EventData(event.eventId(), event.type(), placed("c-1", "Eve").payload(),
                event.metadata());
        assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), changed))
                .isInstanceOf(DuplicateEventException.class);
    }

    @Test
    void a_policy_refuses_what_it_cannot_apply() {
        assertThatThrownBy(() -> PersonalDataPolicy.builder().event("A", "customerId", "/customer"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JSON pointer");
        assertThatThrownBy(() -> PersonalDataPolicy.builder().event("A", "/customer/id", "/customer"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("must stay readable");
        assertThatThrownBy(() -> PersonalDataPolicy.builder().event("A", "/id", "/x").event("A", "/id", "/y"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PersonalDataPolicy.builder().event("A", "/id"))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(new SubjectKey(UUID.randomUUID(), "c-1", new byte[32], java.time.Instant.EPOCH).toString())
                .as("a key never prints its bytes").doesNotContain("[B").contains("c-1");
    }

    @Test
    void events_of_types_the_policy_does_not_name_pass_unchanged() {
        EventData other = EventData.of("OrderPaid", "{\"customer\":{\"name\":\"Ada\"}}");
        store.append("order-1", ExpectedVersion.noStream(), List.of(other));
        assertThat(raw.readStreamForward("order-1").get(0).payload()).isEqualTo(other.payload());
    }
}
