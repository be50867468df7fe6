package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tombstones ({@link StreamAdministration}). A store without {@link Capability#STREAM_DELETION} must refuse in the
 * documented way: it does not implement {@link StreamAdministration}.
 */
public abstract class DeletionContract extends ContractSupport {

    /** @return the store's administration, or null after asserting the documented refusal */
    private StreamAdministration administration() {
        if (!supports(Capability.STREAM_DELETION)) {
            assertThat(store).as("a store without STREAM_DELETION must not implement StreamAdministration")
                    .isNotInstanceOf(StreamAdministration.class);
            return null;
        }
        assertThat(store).isInstanceOf(StreamAdministration.class);
        return (StreamAdministration) store;
    }

    @Test
    void a_tombstoned_stream_cannot_be_read() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(2));

        admin.tombstone(stream, ExpectedVersion.exactly(1));

        assertThatThrownBy(() -> store.readStreamForward(stream))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.streamId()).isEqualTo(stream))
                .hasMessage("Stream '" + stream + "' is deleted (tombstoned); it cannot be read or appended to");
        assertThatThrownBy(() -> store.readStreamBackward(stream)).isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.readStreamForFolding(stream, 0, 10)).isInstanceOf(StreamDeletedException.class);
        assertThat(admin.isDeleted(stream)).isTrue();
    }

    @Test
    void a_tombstoned_stream_cannot_be_appended_to_in_any_mode() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        EventData placed = event("OrderPlaced");
        store.append(stream, ExpectedVersion.noStream(), placed);
        admin.tombstone(stream, ExpectedVersion.any());

        for (ExpectedVersion mode : List.of(ExpectedVersion.any(), ExpectedVersion.noStream(),
                ExpectedVersion.streamExists(), ExpectedVersion.exactly(0))) {
            assertThatThrownBy(() -> store.append(stream, mode, event("Late"))).as(mode.toString())
                    .isInstanceOf(StreamDeletedException.class);
        }
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), placed))
                .as("even an exact retry").isInstanceOf(StreamDeletedException.class);
        assertThat(store.readAll(LogPosition.START)).hasSize(1);
    }

    @Test
    void tombstoning_checks_the_expected_version_and_changes_nothing_when_it_fails() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(3));

        assertThatThrownBy(() -> admin.tombstone(stream, ExpectedVersion.exactly(1)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(2));
        assertThat(admin.isDeleted(stream)).isFalse();
        assertThat(store.readStreamForward(stream)).hasSize(3);
    }

    @Test
    void tombstoning_twice_is_refused() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));
        admin.tombstone(stream, ExpectedVersion.any());

        assertThatThrownBy(() -> admin.tombstone(stream, ExpectedVersion.any()))
                .isInstanceOf(StreamDeletedException.class);
    }

    @Test
    void a_tombstoned_streams_events_stay_in_the_log_and_other_streams_are_untouched() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String deleted = newStream("order");
        String kept = newStream("order");
        store.append(deleted, ExpectedVersion.noStream(), events(2));
        store.append(kept, ExpectedVersion.noStream(), events(2));

        admin.tombstone(deleted, ExpectedVersion.any());

        assertThat(store.readAll(LogPosition.START)).hasSize(4);
        assertThat(store.readStreamForward(kept)).hasSize(2);
        store.append(kept, ExpectedVersion.exactly(1), event("OrderShipped"));
        assertThat(admin.isDeleted(kept)).isFalse();
    }

    @Test
    void tombstoning_an_unused_stream_id_reserves_it_for_ever() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");

        admin.tombstone(stream, ExpectedVersion.noStream());

        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced")))
                .isInstanceOf(StreamDeletedException.class);
        assertThat(admin.isDeleted(stream)).isTrue();
        assertLogIsEmpty(store);
    }

    @Test
    void a_soft_deleted_stream_is_hidden_until_restored_with_all_its_events_and_its_version() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        String other = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(3));
        store.append(other, ExpectedVersion.noStream(), events(1));
        List<dev.eventfold.eventstore.RecordedEvent> before = store.readStreamForward(stream);

        admin.softDelete(stream, ExpectedVersion.exactly(2));

        assertThat(admin.isSoftDeleted(stream)).isTrue();
        assertThat(admin.isDeleted(stream)).as("not tombstoned").isFalse();
        assertThatThrownBy(() -> store.readStreamForward(stream))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.restorable()).isTrue())
                .hasMessage("Stream '" + stream + "' is soft-deleted; it cannot be read or appended to until it is "
                        + "restored");
        assertThatThrownBy(() -> store.readStreamBackward(stream)).isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.readStreamForFolding(stream, 0, 10)).isInstanceOf(StreamDeletedException.class);
        for (ExpectedVersion expected : List.of(ExpectedVersion.any(), ExpectedVersion.exactly(2),
                ExpectedVersion.streamExists())) {
            assertThatThrownBy(() -> store.append(stream, expected, event("ItemAdded")))
                    .as("append with %s", expected).isInstanceOfSatisfying(StreamDeletedException.class,
                            e -> assertThat(e.restorable()).isTrue());
        }
        assertThatThrownBy(() -> store.append(stream, ExpectedVersion.exactly(2), List.of(event("A"), event("B"))))
                .isInstanceOf(StreamDeletedException.class);
        assertThat(store.readAll(LogPosition.START)).as("the log keeps every event").hasSize(4);
        assertThat(store.readStreamForward(other)).hasSize(1);

        admin.restore(stream);

        assertThat(admin.isSoftDeleted(stream)).isFalse();
        assertThat(store.readStreamForward(stream)).isEqualTo(before);
        assertThat(store.append(stream, ExpectedVersion.exactly(2), event("ItemAdded")).nextExpectedVersion())
                .isEqualTo(3);
    }

    @Test
    void soft_delete_and_restore_refuse_what_they_cannot_do_and_change_nothing() {
        StreamAdministration admin = administration();
        if (admin == null) {
            return;
        }
        String stream = newStream("order");
        String missing = newStream("order");
        store.append(stream, ExpectedVersion.noStream(), events(2));

        assertThatThrownBy(() -> admin.softDelete(stream, ExpectedVersion.exactly(0)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(1));
        assertThatThrownBy(() -> admin.softDelete(missing, ExpectedVersion.any()))
                .as("nothing to hide").isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actual()).isEqualTo(-1));
        assertThatThrownBy(() -> admin.restore(stream)).isInstanceOf(
                dev.eventfold.eventstore.InvalidRequestException.class).hasMessageContaining("not soft-deleted");
        assertThatThrownBy(() -> admin.restore(missing)).isInstanceOf(
                dev.eventfold.eventstore.InvalidRequestException.class);
        assertThat(admin.isSoftDeleted(stream)).isFalse();
        assertThat(admin.isSoftDeleted(missing)).isFalse();
        assertThat(store.readStreamForward(stream)).hasSize(2);
        assertThat(store.readStreamForward(missing)).isEmpty();

        admin.softDelete(stream, ExpectedVersion.any());
        assertThatThrownBy(() -> admin.softDelete(stream, ExpectedVersion.any()))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.restorable()).isTrue());

        admin.tombstone(stream, ExpectedVersion.any());
        assertThat(admin.isDeleted(stream)).as("a tombstone makes a soft delete final").isTrue();
        assertThat(admin.isSoftDeleted(stream)).isFalse();
        assertThatThrownBy(() -> admin.restore(stream))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.restorable()).isFalse());
        assertThatThrownBy(() -> store.readStreamForward(stream))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.restorable()).isFalse());
        assertThatThrownBy(() -> admin.softDelete(stream, ExpectedVersion.any()))
                .isInstanceOfSatisfying(StreamDeletedException.class, e -> assertThat(e.restorable()).isFalse());
    }
}
