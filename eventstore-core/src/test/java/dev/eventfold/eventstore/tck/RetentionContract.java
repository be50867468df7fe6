package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore;
import dev.eventfold.eventstore.retention.RetentionStore.Removal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Removal of old events ({@link RetentionStore}): exactly what a policy names goes, into the archive, under
 * concurrent appends; reads, the log and subscriptions carry on. A store without {@link Capability#RETENTION} must
 * not implement {@link RetentionStore}.
 */
public abstract class RetentionContract extends ContractSupport {

    private RetentionStore retention() {
        if (!supports(Capability.RETENTION)) {
            assertThat(store).as("a store without RETENTION must not implement RetentionStore")
                    .isNotInstanceOf(RetentionStore.class);
            return null;
        }
        assertThat(store).isInstanceOf(RetentionStore.class);
        return (RetentionStore) store;
    }

    private static String newCategory() {
        return "ret" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static List<UUID> ids(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::eventId).toList();
    }

    @Test
    void max_count_keeps_the_newest_events_and_archives_the_rest_as_they_were() {
        RetentionStore retention = retention();
        if (retention == null) {
            return;
        }
        String stream = newStream(newCategory());
        store.append(stream, ExpectedVersion.noStream(), events(10));
        List<RecordedEvent> before = store.readStreamForward(stream);

        List<Removal> removed = retention.removeEvents(RetentionPolicy.stream(stream).maxCount(4).build(),
                Instant.now(), "ops", "ticket 1");

        assertThat(removed).containsExactly(new Removal(stream, 0, 6));
        assertThat(store.readStreamForward(stream)).isEqualTo(before.subList(6, 10));
        assertThat(store.readStreamBackward(stream)).extracting(RecordedEvent::streamVersion)
                .containsExactly(9L, 8L, 7L, 6L);
        assertThat(store.readStreamForward(stream, 2, 3)).extracting(RecordedEvent::streamVersion)
                .containsExactly(6L, 7L, 8L);
        assertThat(store.streamVersion(stream)).isEqualTo(9);
        assertThat(retention.archived(stream)).isEqualTo(before.subList(0, 6));
        assertThat(ids(store.readAll(LogPosition.START, EventFilter.all(), 100)))
                .as("the log no longer holds them").doesNotContainAnyElementsOf(ids(before.subList(0, 6)))
                .containsAll(ids(before.subList(6, 10)));
        assertThat(retention.removeEvents(RetentionPolicy.stream(stream).maxCount(4).build(), Instant.now(), "ops",
                "ticket 1")).as("a second run removes nothing").isEmpty();
        assertThat(store.append(stream, ExpectedVersion.exactly(9), event("Later")).nextExpectedVersion())
                .isEqualTo(10);
    }

    @Test
    void a_category_policy_touches_only_its_streams_and_leaves_deleted_ones_alone() {
        RetentionStore retention = retention();
        if (retention == null) {
            return;
        }
        String category = newCategory();
        String first = newStream(category);
        String second = newStream(category);
        String hidden = newStream(category);
        String elsewhere = newStream(newCategory());
        for (String stream : List.of(first, second, hidden, elsewhere)) {
            store.append(stream, ExpectedVersion.noStream(), events(5));
        }
        store.append(second, ExpectedVersion.exactly(4), events(2));
        boolean administered = store instanceof StreamAdministration;
        if (administered) {
            ((StreamAdministration) store).softDelete(hidden, ExpectedVersion.any());
        }

        List<Removal> removed = retention.removeEvents(RetentionPolicy.category(category).truncateBefore(3).build(),
                Instant.now(), "ops", "migration cleanup");

        List<Removal> expected = new ArrayList<>(List.of(new Removal(first, 0, 3), new Removal(second, 0, 3)));
        if (!administered) {
            expected.add(new Removal(hidden, 0, 3));
        }
        assertThat(removed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(store.readStreamForward(first)).extracting(RecordedEvent::streamVersion).containsExactly(3L, 4L);
        assertThat(store.readStreamForward(second)).hasSize(4);
        assertThat(store.readStreamForward(elsewhere)).hasSize(5);
        if (administered) {
            ((StreamAdministration) store).restore(hidden);
            assertThat(store.readStreamForward(hidden)).as("a soft-deleted stream is left alone").hasSize(5);
        }
    }

    @Test
    void max_age_removes_what_is_older_and_a_stream_emptied_by_it_keeps_its_version() {
        RetentionStore retention = retention();
        if (retention == null) {
            return;
        }
        String stream = newStream(newCategory());
        store.append(stream, ExpectedVersion.noStream(), events(3));
        RetentionPolicy hourly = RetentionPolicy.stream(stream).maxAge(Duration.ofHours(1)).build();

        assertThat(retention.removeEvents(hourly, Instant.now(), "ops", "x")).as("all younger than an hour")
                .isEmpty();
        assertThat(retention.removeEvents(hourly, Instant.now().plus(Duration.ofHours(2)), "ops", "x"))
                .containsExactly(new Removal(stream, 0, 3));

        assertThat(store.readStreamForward(stream)).isEmpty();
        assertThat(retention.archived(stream)).hasSize(3);
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), event("Again")))
                .as("the stream still exists at version 2").isInstanceOf(
                        dev.eventfold.eventstore.WrongExpectedVersionException.class);
        store.append(stream, ExpectedVersion.exactly(2), event("Again"));
        assertThat(store.readStreamForward(stream)).extracting(RecordedEvent::streamVersion).containsExactly(3L);
    }

    @Test
    void a_run_under_concurrent_appends_loses_and_duplicates_nothing_and_subscribers_keep_going() throws Exception {
        RetentionStore retention = retention();
        if (retention == null) {
            return;
        }
        String category = newCategory();
        String stream = newStream(category);
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        List<EventData> appended = new CopyOnWriteArrayList<>();
        store.append(stream, ExpectedVersion.noStream(), events(20));
        RetentionPolicy policy = RetentionPolicy.stream(stream).maxCount(5).build();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (Subscription live = store.subscribe(LogPosition.START, EventFilter.category(category), delivered::add)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                futures.add(writers.submit(() -> {
                    while (running.get()) {
                        EventData e = event("Concurrent");
                        store.append(stream, ExpectedVersion.any(), e);
                        appended.add(e);
                    }
                    return null;
                }));
            }
            for (int run = 0; run < 20; run++) {
                retention.removeEvents(policy, Instant.now(), "ops", "under load");
            }
            running.set(false);
            for (Future<?> future : futures) {
                future.get();
            }
            retention.removeEvents(policy, Instant.now(), "ops", "final");
            String after = newStream(category);
            store.append(after, ExpectedVersion.noStream(), event("AfterRemoval"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !delivered.isEmpty()
                    && delivered.get(delivered.size() - 1).streamId().equals(after));
        } finally {
            writers.shutdownNow();
        }

        List<RecordedEvent> kept = store.readStreamForward(stream);
        List<RecordedEvent> archived = retention.archived(stream);
        assertThat(kept).as("exactly maxCount stay once nothing appends").hasSize(5);
        List<RecordedEvent> whole = new ArrayList<>(archived);
        whole.addAll(kept);
        assertThat(whole).extracting(RecordedEvent::streamVersion).as("archive + stream = every version once")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 20 + appended.size()).boxed()
                        .toList());
        assertThat(ids(whole)).containsAll(dataIdsOf(appended)).doesNotHaveDuplicates();
        List<RecordedEvent> ofStream = delivered.subList(0, delivered.size() - 1);
        assertThat(ofStream).extracting(RecordedEvent::streamVersion).as("in order, each once, across removals")
                .isSorted().doesNotHaveDuplicates();
        assertThat(ids(ofStream)).as("every event that stayed reached the live subscriber").containsAll(ids(kept));
        assertThat(ids(whole)).as("and what it did not see is in the archive: no unexplained hole")
                .containsAll(ids(ofStream));
        List<RecordedEvent> fresh = new CopyOnWriteArrayList<>();
        try (Subscription late = store.subscribe(LogPosition.START, EventFilter.category(category), fresh::add)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> fresh.size() == 6);
        }
        assertThat(ids(fresh).subList(0, 5)).as("a subscriber starting now sees what stays").isEqualTo(ids(kept));
    }

    @Test
    void a_policy_must_name_one_target_and_sensible_rules() {
        assertThatThrownBy(() -> RetentionPolicy.stream("s-1").build()).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at least one rule");
        assertThatThrownBy(() -> RetentionPolicy.stream("s-1").maxCount(0).build())
                .hasMessageContaining("maxCount must be 1 or more");
        assertThatThrownBy(() -> RetentionPolicy.category("a-b").maxCount(1).build())
                .hasMessageContaining("without '-'");
        assertThatThrownBy(() -> RetentionPolicy.stream("s-1").maxAge(Duration.ZERO).build())
                .hasMessageContaining("maxAge must be positive");
        assertThatThrownBy(() -> new RetentionPolicy("s-1", "s", null, 1L, null)).hasMessageContaining("not both");
    }
}
