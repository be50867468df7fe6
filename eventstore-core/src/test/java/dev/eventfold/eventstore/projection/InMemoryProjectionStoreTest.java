package dev.eventfold.eventstore.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InMemoryProjectionStoreTest {

    @Test
    void a_revoked_lease_is_fenced_and_the_next_leader_gets_a_higher_token() throws Exception {
        InMemoryProjectionStore store = new InMemoryProjectionStore();
        ProjectionStore.Lease first = store.tryLead("p", 1).orElseThrow();
        assertThat(store.tryLead("p", 1)).isEmpty();

        store.revokeLeadership("p", 1);
        assertThat(first.isHeld()).isFalse();
        ProjectionStore.Lease second = store.tryLead("p", 1).orElseThrow();

        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThatThrownBy(() -> store.commit(first, new LogPosition(1, 1), tx -> { }))
                .isInstanceOf(ProjectionFencedException.class)
                .hasMessage("Projection 'p' version 1: fencing token 1 was superseded by another runner; this runner "
                        + "no longer leads");
        store.commit(second, new LogPosition(1, 1), tx -> { });
        assertThat(store.checkpoint("p", 1)).isEqualTo(new LogPosition(1, 1));
        first.close(); // closing a superseded lease does not release the new one
        assertThat(second.isHeld()).isTrue();
    }

    @Test
    void a_runner_whose_leadership_is_revoked_steps_down_and_nothing_is_applied_twice() {
        InMemoryEventStore events = InMemoryEventStore.create();
        InMemoryProjectionStore projections = new InMemoryProjectionStore();
        List<UUID> applied = new CopyOnWriteArrayList<>();
        Projection<Void> projection = (context, event) -> applied.add(event.eventId());
        try (ProjectionRunner<Void> a = ProjectionRunner.builder(events, projections, "p", projection)
                .leaseRetryInterval(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20)).build();
                ProjectionRunner<Void> b = ProjectionRunner.builder(events, projections, "p", projection)
                        .leaseRetryInterval(Duration.ofMillis(20)).pollInterval(Duration.ofMillis(20)).build()) {
            a.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.status().state() == ProjectionState.RUNNING);
            b.start();
            events.append("s-1", ExpectedVersion.any(), EventData.of("T", "{}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> applied.size() == 1);

            projections.revokeLeadership("p", 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> projections.storedStatus("p", 1).orElseThrow().fencingToken() > 1);
            events.append("s-2", ExpectedVersion.any(), EventData.of("T", "{}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> applied.size() == 2);
            assertThat(applied).doesNotHaveDuplicates();
            assertThat(List.of(a.status().state(), b.status().state()))
                    .containsExactlyInAnyOrder(ProjectionState.RUNNING, ProjectionState.STANDBY);
        }
    }
}
