import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.postgres.PostgresSnapshotStore;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.FailurePolicy;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.RetryPolicy;
import dev.eventfold.eventstore.snapshot.Snapshot;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Release N-1's library on release N's schema (deploy/compat/previous-release.sh runs this file with the previous
 * release's jars): what its pods do during a rolling deploy after the new release's migration ran. Appends with every
 * expected-version kind, a conflict, reads of a stream and of the log, a snapshot, and a projection runner that
 * checkpoints, dead-letters an event and lists the letter. Uses only API that release N-1 has. Exit 0 when all holds.
 */
public class PreviousReleaseProbe {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        try (var pool = PostgresPool.builder(url).username("postgres").build();
                PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            String stream = "compat-" + UUID.randomUUID();
            AppendResult first = store.append(stream, ExpectedVersion.noStream(), EventData.of("Opened", "{\"n\":1}"));
            AppendResult next = store.append(stream, ExpectedVersion.exactly(first.nextExpectedVersion()),
                    List.of(EventData.of("Changed", "{\"n\":2}"), EventData.of("Poison", "{\"n\":3}")));
            store.append(stream, ExpectedVersion.any(), EventData.of("Changed", "{\"n\":4}"));
            try {
                store.append(stream, ExpectedVersion.exactly(0), EventData.of("Stale", "{}"));
                throw new AssertionError("a stale expected version was accepted");
            } catch (WrongExpectedVersionException expected) {
                // as it must
            }
            List<RecordedEvent> events = store.readStreamForward(stream);
            check(events.size() == 4, "4 events read back, got " + events.size());
            check(events.get(1).payload().asString().equals("{\"n\":2}"), "payload byte for byte");
            check(next.nextExpectedVersion() == 2, "next expected version 2");
            List<RecordedEvent> log = store.readAll(LogPosition.START, EventFilter.category("compat"), 100);
            check(log.size() == 4, "the log holds the 4 events, got " + log.size());

            PostgresSnapshotStore snapshots = PostgresSnapshotStore.create(pool, schema);
            check(snapshots.save(new Snapshot(stream, 3, 1, Payload.ofJson("{\"sum\":10}"), Instant.now())),
                    "snapshot saved");
            check(snapshots.latest(stream).orElseThrow().streamVersion() == 3, "snapshot read back");

            Set<UUID> applied = ConcurrentHashMap.newKeySet();
            Projection<Connection> projection = new Projection<>() {
                @Override
                public EventFilter filter() {
                    return EventFilter.category("compat");
                }

                @Override
                public void apply(ProjectionContext<Connection> context, RecordedEvent event) {
                    if (event.type().equals("Poison")) {
                        throw new IllegalStateException("poison at version " + event.streamVersion());
                    }
                    applied.add(event.eventId());
                }
            };
            PostgresProjectionStore projections = PostgresProjectionStore.create(pool, schema);
            ProjectionRunner<Connection> runner = ProjectionRunner.builder(store, projections, "compat-" + stream,
                    projection).onFailure(FailurePolicy.CONTINUE)
                    .retry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20))).build();
            runner.start();
            try {
                check(runner.awaitPosition(log.get(3).logPosition(), Duration.ofSeconds(30)),
                        "the projection reached the last event");
                check(applied.size() == 3, "3 events applied, the poisoned one set aside; got " + applied.size());
                List<DeadLetter> letters = runner.deadLetters();
                check(letters.size() == 1 && letters.get(0).status() == DeadLetter.Status.PENDING,
                        "one pending dead letter, got " + letters);
                check(runner.status().position().equals(log.get(3).logPosition()), "checkpoint at the last event");
            } finally {
                runner.stop();
            }
        }
        System.out.println("[compat] release N-1 appends, reads, snapshots and projects on this schema");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
