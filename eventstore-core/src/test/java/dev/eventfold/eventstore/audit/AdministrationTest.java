package dev.eventfold.eventstore.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ForwardingEventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.privacy.InMemoryKeyStore;
import dev.eventfold.eventstore.privacy.PersonalDataPolicy;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audited path over the in-memory store; {@code PostgresAuditTest} checks the trail's immutability there. */
class AdministrationTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
            .event("OrderPlaced", "/customerId", "/customer").build();

    private final InMemoryEventStore raw = InMemoryEventStore.create();
    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private final PersonalDataProtection protection = PersonalDataProtection.create(POLICY, keys, Duration.ZERO);
    private final EventStore store = protection.protect(raw);
    private final AuditTrail trail = AuditTrail.create(raw, AuditTrail.DEFAULT_STREAM, InstantSource.fixed(NOW));
    private final Administration admin = Administration.builder(trail).protection(protection).streams(raw)
            .retention(raw).build();

    @AfterEach
    void close() {
        raw.close();
    }

    private void placeOrder(String stream, String customerId) {
        store.append(stream, ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{\"customerId\":\"" + customerId
                + "\",\"customer\":{\"name\":\"Ada Lovelace\"},\"total\":7}"));
    }

    @Test
    void forgetting_records_who_when_what_and_why_and_a_second_forget_says_it_was_done_before() {
        placeOrder("order-1", "c-1");

        Administration.Erasure first = admin.forget("c-1", "alice", "GDPR request 812");
        Administration.Erasure second = admin.forget("c-1", "bob", "GDPR request 812, again");

        assertThat(first.keysDestroyed()).isEqualTo(1);
        assertThat(first.previouslyForgottenAt()).isEmpty();
        assertThat(second.keysDestroyed()).isZero();
        assertThat(second.previouslyForgottenAt()).isPresent();
        assertThat(store.readStreamForward("order-1").get(0).payload().asString()).doesNotContain("Ada")
                .contains("\"customer\":null", "\"total\":7");
        List<AuditEntry> entries = trail.read(ReadDirection.BACKWARD, EventStore.END, 10);
        assertThat(entries).extracting(AuditEntry::actor).containsExactly("bob", "alice");
        AuditEntry recorded = entries.get(1);
        assertThat(recorded).isEqualTo(first.entry());
        assertThat(recorded.version()).isZero();
        assertThat(recorded.at()).isEqualTo(NOW);
        assertThat(recorded.action()).isEqualTo(Administration.FORGET);
        assertThat(recorded.target()).isEqualTo("c-1");
        assertThat(recorded.reason()).isEqualTo("GDPR request 812");
        assertThat(recorded.details()).containsEntry("keysDestroyed", "1").containsEntry("previouslyForgottenAt",
                "never");
        assertThat(entries.get(0).details()).containsEntry("keysDestroyed", "0");
        assertThat(raw.readStreamForward(AuditTrail.DEFAULT_STREAM).get(0).metadata().userId()).isEqualTo("alice");
    }

    @Test
    void an_action_without_an_actor_or_a_reason_is_refused_and_changes_nothing() {
        placeOrder("order-1", "c-1");

        assertThatThrownBy(() -> admin.forget("c-1", "alice", " ")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> admin.forget("c-1", null, "why")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("actor");
        assertThatThrownBy(() -> admin.tombstone("order-1", ExpectedVersion.any(), "alice", "x".repeat(1001)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 1000");

        assertThat(protection.forgottenAt("c-1")).isEmpty();
        assertThat(raw.isDeleted("order-1")).isFalse();
        assertThat(raw.readStreamForward(AuditTrail.DEFAULT_STREAM)).isEmpty();
    }

    @Test
    void tombstoning_is_recorded_once_and_the_trail_itself_cannot_be_tombstoned() {
        placeOrder("order-1", "c-1");

        assertThatThrownBy(() -> admin.tombstone("order-1", ExpectedVersion.exactly(5), "alice", "duplicate"))
                .isInstanceOf(WrongExpectedVersionException.class);
        AuditEntry entry = admin.tombstone("order-1", ExpectedVersion.exactly(0), "alice", "duplicate import");
        assertThatThrownBy(() -> admin.tombstone("order-1", ExpectedVersion.any(), "alice", "again"))
                .isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> admin.tombstone(AuditTrail.DEFAULT_STREAM, ExpectedVersion.any(), "mallory",
                "cover tracks")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("cannot");

        assertThat(raw.isDeleted("order-1")).isTrue();
        assertThat(entry.action()).isEqualTo(Administration.TOMBSTONE);
        assertThat(entry.details()).containsEntry("expectedVersion", "0");
        assertThat(trail.read(ReadDirection.FORWARD, 0, 10)).containsExactly(entry);
    }

    @Test
    void soft_delete_and_restore_are_recorded_and_the_trail_cannot_be_hidden() {
        placeOrder("order-1", "c-1");
        AuditEntry hidden = admin.softDelete("order-1", ExpectedVersion.exactly(0), "alice", "customer dispute 9");
        assertThat(raw.isSoftDeleted("order-1")).isTrue();
        AuditEntry restored = admin.restore("order-1", "bob", "dispute settled");
        assertThat(raw.isSoftDeleted("order-1")).isFalse();
        assertThatThrownBy(() -> admin.restore("order-1", "bob", "again")).isInstanceOf(
                InvalidRequestException.class);
        assertThatThrownBy(() -> admin.softDelete(AuditTrail.DEFAULT_STREAM, ExpectedVersion.any(), "mallory", "x"))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(trail.read(ReadDirection.FORWARD, 0, 10)).extracting(AuditEntry::action)
                .containsExactly(Administration.SOFT_DELETE, Administration.RESTORE);
        assertThat(List.of(hidden.actor(), restored.actor())).containsExactly("alice", "bob");
    }

    @Test
    void a_retention_run_that_removes_events_is_recorded_with_what_it_removed_and_one_that_does_not_is_not() {
        for (int i = 0; i < 3; i++) {
            raw.append("log-" + i, ExpectedVersion.noStream(), List.of(EventData.of("Line", "{}"),
                    EventData.of("Line", "{}"), EventData.of("Line", "{}")));
        }
        RetentionPolicy policy = RetentionPolicy.category("log").maxCount(1).build();

        Administration.RetentionRun run = admin.applyRetention(policy, "retention-job", "keep the last line");
        Administration.RetentionRun again = admin.applyRetention(policy, "retention-job", "keep the last line");

        assertThat(run.events()).isEqualTo(6);
        assertThat(run.entry().action()).isEqualTo(Administration.RETENTION);
        assertThat(run.entry().target()).isEqualTo("category:log");
        assertThat(run.entry().details()).containsEntry("events", "6").containsEntry("streams", "3")
                .containsEntry("removed", "log-0:0-1,log-1:0-1,log-2:0-1")
                .containsEntry("policy", "category log, maxCount 1");
        assertThat(again.events()).isZero();
        assertThat(again.entry()).isNull();
        assertThat(trail.read(ReadDirection.FORWARD, 0, 10)).containsExactly(run.entry());
        assertThat(raw.archived("log-0")).hasSize(2);
        assertThatThrownBy(() -> admin.applyRetention(policy, "retention-job", "")).isInstanceOf(
                InvalidRequestException.class);
    }

    @Test
    void the_retention_job_runs_its_policies_on_schedule_and_counts_what_it_removed() {
        raw.append("log-1", ExpectedVersion.noStream(), List.of(EventData.of("Line", "{}"),
                EventData.of("Line", "{}")));
        try (RetentionJob job = RetentionJob.start(admin, List.of(RetentionPolicy.stream("log-1").maxCount(1)
                .build()), Duration.ofSeconds(1), "retention-job")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> job.runs() >= 2);
            assertThat(job.eventsRemoved()).isEqualTo(1);
            assertThat(job.failures()).isZero();
        }
        assertThat(trail.read(ReadDirection.FORWARD, 0, 10)).singleElement()
                .satisfies(entry -> assertThat(entry.actor()).isEqualTo("retention-job"));
        assertThatThrownBy(() -> RetentionJob.start(admin, List.of(), Duration.ofMillis(10), "job"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most once a second");
    }

    @Test
    void key_rotation_is_recorded_with_the_new_key_id() {
        placeOrder("order-1", "c-1");
        AuditEntry entry = admin.rotateKey("c-1", "alice", "yearly rotation");
        assertThat(entry.details()).containsEntry("keyId", keys.currentKey("c-1").keyId().toString());
    }

    @Test
    void an_action_done_but_not_recorded_says_so_and_repeating_it_records_it() {
        placeOrder("order-1", "c-1");
        boolean[] down = {true};
        EventStore flaky = new ForwardingEventStore(raw) {
            @Override
            public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
                if (down[0]) {
                    throw new EventStoreUnavailableException("the audit append", null);
                }
                return super.append(streamId, expected, events);
            }
        };
        Administration unreliable = Administration.builder(AuditTrail.create(flaky)).protection(protection).build();

        assertThatThrownBy(() -> unreliable.forget("c-1", "alice", "GDPR request 812"))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("personal-data.forget of 'c-1' by 'alice' was done but could not be recorded");
        assertThat(store.readStreamForward("order-1").get(0).payload().asString()).doesNotContain("Ada");
        assertThat(protection.forgottenAt("c-1")).as("the erasure is not undone").isPresent();

        down[0] = false;
        Administration.Erasure repeated = unreliable.forget("c-1", "alice", "GDPR request 812");
        assertThat(repeated.previouslyForgottenAt()).isPresent();
        assertThat(trail.read(ReadDirection.FORWARD, 0, 10)).hasSize(1);
    }

    @Test
    void following_the_trail_delivers_entries_recorded_after_it_started_by_any_writer() {
        admin.rotateKey("c-0", "alice", "before following");
        List<AuditEntry> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = trail.follow(seen::add)) {
            Administration other = Administration.builder(AuditTrail.create(raw)).protection(protection).build();
            other.forget("c-1", "bob", "GDPR request 813");
            placeOrder("order-9", "c-9");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
        }
        assertThat(seen.get(0).target()).isEqualTo("c-1");
        assertThat(seen.get(0).version()).isEqualTo(1);
    }

    @Test
    void a_projection_reads_entries_from_the_log_and_skips_other_events() {
        placeOrder("order-1", "c-1");
        AuditEntry entry = admin.tombstone("order-1", ExpectedVersion.any(), "alice", "duplicate");
        List<AuditEntry> seen = new java.util.ArrayList<>();
        raw.readAll(dev.eventfold.eventstore.LogPosition.START).forEach(e -> AuditTrail.entryOf(e)
                .ifPresent(seen::add));
        assertThat(seen).containsExactly(entry);
    }

    @Test
    void an_entry_needs_every_value() {
        assertThatThrownBy(() -> new AuditEntry(0, NOW, "x", "a", "r", "", Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("target");
    }
}
