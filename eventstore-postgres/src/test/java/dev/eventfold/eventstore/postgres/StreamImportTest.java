package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.tck.LogReads;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link StreamImport}: whole streams in, exactly as they were, or refused with the reason and how far it got. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamImportTest {

    private static final Instant THEN = Instant.parse("2019-03-04T05:06:07.123456Z");
    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(8);
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).maxPollInterval(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    void tearDown() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
    }

    /** Payloads with what CSV and COPY must carry through: quotes, commas, new lines, backslashes, non-ASCII. */
    private static StreamImport.Stream stream(String id, int events) {
        List<StreamImport.Event> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String json = "{\"n\":" + i + ",\"text\":\"a \\\"quoted\\\", comma\\nnew line \\\\ back\\\\slash é ✓\"}";
            EventData data = new EventData(EventData.newEventId(), i == 0 ? "Opened" : "Moved",
                    Payload.ofJson(json), Metadata.empty().withCorrelationId("corr-" + id).withHeader("source",
                    "legacy, \"v1\""));
            list.add(new StreamImport.Event(data, i % 2 == 0 ? THEN.plusSeconds(i) : null));
        }
        return new StreamImport.Stream(id, list);
    }

    @Test
    void whole_streams_are_imported_as_they_were_and_readers_are_woken() {
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        LogPosition start = lastPosition();
        try (Subscription live = store.subscribe(start, EventFilter.category("ledger"), delivered::add)) {
            List<StreamImport.Stream> streams = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                streams.add(stream("ledger-" + s, 1 + s * 8));
            }
            List<StreamImport.Result> progress = new ArrayList<>();
            Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
            StreamImport.Result result = StreamImport.into(store).eventsPerTransaction(500).progress(progress::add)
                    .run(streams.iterator());

            int total = streams.stream().mapToInt(s -> s.events().size()).sum();
            assertThat(result.streams()).isEqualTo(30);
            assertThat(result.events()).isEqualTo(total);
            assertThat(progress).as("a report per transaction of at most 500 events (a bigger stream alone)")
                    .hasSizeGreaterThan(total / 500);
            assertThat(progress.get(progress.size() - 1).events()).isEqualTo(total);
            for (StreamImport.Stream imported : streams) {
                List<RecordedEvent> read = store.readStream(imported.streamId(), ReadDirection.FORWARD, 0, 1000);
                assertThat(read).hasSize(imported.events().size());
                for (int i = 0; i < read.size(); i++) {
                    RecordedEvent event = read.get(i);
                    StreamImport.Event expected = imported.events().get(i);
                    assertThat(event.streamVersion()).isEqualTo(i);
                    assertThat(event.eventId()).isEqualTo(expected.data().eventId());
                    assertThat(event.type()).isEqualTo(expected.data().type());
                    assertThat(event.payload().asString()).isEqualTo(expected.data().payload().asString());
                    assertThat(event.metadata()).isEqualTo(expected.data().metadata());
                    if (expected.recordedAt() != null) {
                        assertThat(event.recordedAt()).isEqualTo(expected.recordedAt());
                    } else {
                        assertThat(event.recordedAt()).isAfterOrEqualTo(before);
                    }
                }
            }
            await("the live subscription is woken").atMost(Duration.ofSeconds(10))
                    .until(() -> delivered.size() == total);
        }
        store.append("ledger-3", ExpectedVersion.exactly(24), EventData.of("Moved", "{}"));
        assertThatThrownBy(() -> store.append("ledger-4", ExpectedVersion.noStream(), EventData.of("Moved", "{}")))
                .isInstanceOf(WrongExpectedVersionException.class);
    }

    @Test
    void a_stream_that_exists_stops_the_import_after_what_was_committed() {
        store.append("acct-taken", ExpectedVersion.noStream(), EventData.of("Opened", "{}"));
        store.append("acct-gone", ExpectedVersion.noStream(), EventData.of("Opened", "{}"));
        store.tombstone("acct-gone", ExpectedVersion.any());
        List<StreamImport.Stream> streams = List.of(stream("acct-1", 10), stream("acct-2", 10),
                stream("acct-taken", 10), stream("acct-4", 10));

        assertThatThrownBy(() -> StreamImport.into(store).eventsPerTransaction(20).run(streams.iterator()))
                .isInstanceOfSatisfying(StreamImport.ImportFailedException.class, e -> {
                    assertThat(e.imported().streams()).isEqualTo(2);
                    assertThat(e.imported().events()).isEqualTo(20);
                    assertThat(e.getCause()).isInstanceOf(WrongExpectedVersionException.class)
                            .hasMessageContaining("acct-taken");
                });
        assertThat(store.streamVersion("acct-1")).isEqualTo(9);
        assertThat(store.streamVersion("acct-taken")).as("untouched").isZero();
        assertThat(store.streamVersion("acct-4")).as("its transaction rolled back").isEqualTo(-1);

        assertThatThrownBy(() -> StreamImport.into(store).run(List.of(stream("acct-gone", 2)).iterator()))
                .hasCauseInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> StreamImport.into(store).run(List.of(stream("acct-twice", 2), stream("acct-twice",
                2)).iterator())).hasCauseInstanceOf(InvalidEventException.class);
        assertThat(store.streamVersion("acct-twice")).isEqualTo(-1);
    }

    @Test
    void bad_events_and_stored_ids_are_refused_with_nothing_of_their_transaction_written() {
        StreamImport.Stream stored = stream("dup-1", 3);
        StreamImport.into(store).run(List.of(stored).iterator());
        StreamImport.Stream reusing = new StreamImport.Stream("dup-2", List.of(stored.events().get(1)));
        assertThatThrownBy(() -> StreamImport.into(store).run(List.of(stream("dup-3", 2), reusing).iterator()))
                .isInstanceOfSatisfying(StreamImport.ImportFailedException.class, e -> {
                    assertThat(e.imported().streams()).isZero();
                    assertThat(e.getCause()).isInstanceOfSatisfying(DuplicateEventException.class, d ->
                            assertThat(d.getMessage()).contains("dup-1"));
                });
        assertThat(store.streamVersion("dup-3")).as("same transaction: rolled back").isEqualTo(-1);

        UUID shared = EventData.newEventId();
        assertThatThrownBy(() -> StreamImport.into(store).run(List.of(
                StreamImport.Stream.of("dup-4", List.of(EventData.of(shared, "Opened", "{}"))),
                StreamImport.Stream.of("dup-5", List.of(EventData.of(shared, "Opened", "{}")))).iterator()))
                .hasCauseInstanceOf(InvalidEventException.class);
        assertThat(store.streamVersion("dup-4")).isEqualTo(-1);

        assertThatThrownBy(() -> StreamImport.into(store).run(List.of(StreamImport.Stream.of("bad-1",
                List.of(EventData.of("Opened", "{\"a\":1}"))), new StreamImport.Stream("bad-2", List.of())).iterator()))
                .isInstanceOfSatisfying(StreamImport.ImportFailedException.class, e ->
                        assertThat(e.getCause()).isInstanceOf(InvalidEventException.class)
                                .hasMessageContaining("bad-2"));
        assertThat(store.streamVersion("bad-1")).as("checked before its transaction was written").isEqualTo(-1);
        assertThatThrownBy(() -> StreamImport.into(store).eventsPerTransaction(0))
                .isInstanceOf(dev.eventfold.eventstore.InvalidRequestException.class);
    }

    private LogPosition lastPosition() {
        List<RecordedEvent> log = LogReads.untilEmpty(store, EventFilter.all(), 1000);
        return log.isEmpty() ? LogPosition.START : log.get(log.size() - 1).logPosition();
    }
}
