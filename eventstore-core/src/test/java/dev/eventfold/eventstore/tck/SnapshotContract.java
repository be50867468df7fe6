package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SnapshotStore} does: latest wins, never backwards, streams apart, bytes of JSON kept. */
public abstract class SnapshotContract extends ContractSupport {

    /**
     * @param target a store made by the fixture
     * @return an empty snapshot store beside it
     */
    protected abstract SnapshotStore snapshotStoreFor(EventStore target);

    private static final Instant TAKEN = Instant.parse("2026-01-02T03:04:05.123456Z");

    private static Snapshot snapshot(String streamId, long version, int schemaVersion, String json) {
        return new Snapshot(streamId, version, schemaVersion, Payload.ofJson(json), TAKEN);
    }

    @Test
    void a_saved_snapshot_is_the_latest_with_every_field() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        String stream = newStream("account");
        assertThat(snapshots.latest(stream)).isEmpty();

        assertThat(snapshots.save(snapshot(stream, 4, 3, "{\"balance\":12.50,\"owner\":\"ada\"}"))).isTrue();

        Snapshot latest = snapshots.latest(stream).orElseThrow();
        assertThat(latest.streamId()).isEqualTo(stream);
        assertThat(latest.streamVersion()).isEqualTo(4);
        assertThat(latest.schemaVersion()).isEqualTo(3);
        assertThat(latest.takenAt().truncatedTo(ChronoUnit.MICROS)).isEqualTo(TAKEN);
        assertSameJson(latest.state(), Payload.ofJson("{\"owner\":\"ada\",\"balance\":12.50}"));
    }

    @Test
    void a_newer_snapshot_replaces_an_older_one_and_never_the_reverse() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        String stream = newStream("account");
        snapshots.save(snapshot(stream, 5, 1, "{\"v\":5}"));

        assertThat(snapshots.save(snapshot(stream, 3, 1, "{\"v\":3}"))).isFalse();
        assertThat(snapshots.save(snapshot(stream, 5, 1, "{\"v\":55}"))).isFalse();
        assertThat(snapshots.latest(stream).orElseThrow().streamVersion()).isEqualTo(5);
        assertSameJson(snapshots.latest(stream).orElseThrow().state(), Payload.ofJson("{\"v\":5}"));

        assertThat(snapshots.save(snapshot(stream, 8, 2, "{\"v\":8}"))).isTrue();
        assertThat(snapshots.latest(stream).orElseThrow().streamVersion()).isEqualTo(8);
        assertThat(snapshots.latest(stream).orElseThrow().schemaVersion()).isEqualTo(2);
    }

    @Test
    void streams_do_not_share_snapshots_and_delete_removes_one() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        String a = newStream("account");
        String b = newStream("account");
        snapshots.save(snapshot(a, 1, 1, "{\"s\":\"a\"}"));
        snapshots.save(snapshot(b, 2, 1, "{\"s\":\"b\"}"));

        snapshots.delete(a);

        assertThat(snapshots.latest(a)).isEmpty();
        assertThat(snapshots.latest(b).orElseThrow().streamVersion()).isEqualTo(2);
        snapshots.delete(a); // deleting what is not there is fine
        assertThat(snapshots.save(snapshot(a, 0, 1, "{}"))).isTrue();
    }

    @Test
    void hostile_stream_ids_are_stored_verbatim() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        String hostile = "account-'; DROP TABLE snapshots; --" + UUID.randomUUID();
        snapshots.save(snapshot(hostile, 1, 1, "{}"));
        assertThat(snapshots.latest(hostile).orElseThrow().streamId()).isEqualTo(hostile);
    }

    @Test
    void bad_arguments_are_rejected() {
        SnapshotStore snapshots = snapshotStoreFor(store);
        assertThatThrownBy(() -> snapshots.save(null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> snapshots.latest(null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> snapshots.latest("")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> snapshot("s", -1, 1, "{}")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: snapshot streamVersion must be 0 or more, was -1");
    }
}
