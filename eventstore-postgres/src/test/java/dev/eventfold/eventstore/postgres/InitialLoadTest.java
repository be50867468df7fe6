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
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.tck.LogReads;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamImport#initialLoad()}: all or nothing into an empty store, the indexes back exactly as they were, other
 * sessions kept out until it is done.
 */
class InitialLoadTest {

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;
    private List<String> indexes;

    @BeforeEach
    void setUp() {
        pool = TestDatabase.pool(8);
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).maxPollInterval(Duration.ofSeconds(30)).build();
        indexes = indexes();
        assertThat(indexes).as("the migrated table's indexes and constraints").hasSizeGreaterThanOrEqualTo(6);
    }

    @AfterEach
    void tearDown() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    private static StreamImport.Stream stream(String id, int events) {
        List<EventData> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(new EventData(EventData.newEventId(), i == 0 ? "Opened" : "Moved",
                    Payload.ofJson("{\"n\":" + i + ",\"text\":\"\\\"q\\\", é\"}"),
                    dev.eventfold.eventstore.Metadata.empty().withCorrelationId("c-" + id)));
        }
        return StreamImport.Stream.of(id, list);
    }

    @Test
    void an_empty_store_is_loaded_whole_with_every_index_back_and_enforced() {
        List<StreamImport.Stream> streams = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            streams.add(stream("acct-" + s, 1 + s * 5));
        }
        int total = streams.stream().mapToInt(s -> s.events().size()).sum();
        List<RecordedEvent> delivered = new CopyOnWriteArrayList<>();
        List<StreamImport.Result> progress = new ArrayList<>();
        StreamImport.Result result;
        try (Subscription live = store.subscribe(LogPosition.START, EventFilter.category("acct"), delivered::add)) {
            result = StreamImport.into(store).initialLoad().eventsPerTransaction(300).progress(progress::add)
                    .run(streams.iterator());
            await("subscribers are woken").atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == total);
        }

        assertThat(result.streams()).isEqualTo(40);
        assertThat(result.events()).isEqualTo(total);
        assertThat(progress).as("a report per chunk of about 300 events").hasSizeGreaterThan(total / 300);
        assertThat(progress.get(progress.size() - 1).events()).isEqualTo(total);
        assertThat(indexes()).as("every index and constraint is back, as defined before").isEqualTo(indexes);
        for (StreamImport.Stream imported : streams) {
            List<RecordedEvent> read = store.readStream(imported.streamId(), ReadDirection.FORWARD, 0, 1000);
            assertThat(read).extracting(RecordedEvent::eventId).containsExactlyElementsOf(
                    imported.events().stream().map(e -> e.data().eventId()).toList());
            assertThat(read.get(read.size() - 1).payload().asString())
                    .isEqualTo(imported.events().get(read.size() - 1).data().payload().asString());
        }
        assertThat(LogReads.untilEmpty(store, EventFilter.ofTypes("Opened"), 7)).as("read through the type index")
                .hasSize(40);

        // The rebuilt unique constraints hold: stream and version, event id.
        store.append("acct-3", ExpectedVersion.exactly(15), EventData.of("Moved", "{}"));
        assertThatThrownBy(() -> store.append("acct-4", ExpectedVersion.noStream(), EventData.of("Moved", "{}")))
                .isInstanceOf(WrongExpectedVersionException.class);
        UUID stored = streams.get(7).events().get(2).data().eventId();
        assertThatThrownBy(() -> store.append("other-1", ExpectedVersion.noStream(),
                EventData.of(stored, "Moved", "{}"))).isInstanceOf(DuplicateEventException.class);
    }

    @Test
    void a_store_with_events_is_refused_and_left_as_it_was() {
        store.append("acct-1", ExpectedVersion.noStream(), EventData.of("Opened", "{}"));

        assertThatThrownBy(() -> StreamImport.into(store).initialLoad().run(List.of(stream("acct-2", 3)).iterator()))
                .isInstanceOfSatisfying(StreamImport.ImportFailedException.class, e -> {
                    assertThat(e.imported().streams()).isZero();
                    assertThat(e.getCause()).isInstanceOf(InvalidRequestException.class)
                            .hasMessageContaining("needs an empty store").hasMessageContaining("1 events in 1 streams");
                });
        assertThat(store.streamVersion("acct-2")).isEqualTo(-1);
        assertThat(indexes()).isEqualTo(indexes);
    }

    @Test
    void a_failure_in_a_later_chunk_rolls_back_everything_indexes_included() {
        UUID twice = EventData.newEventId();
        Iterator<StreamImport.Stream> streams = List.of(stream("acct-1", 50), stream("acct-2", 50),
                StreamImport.Stream.of("acct-3", List.of(EventData.of(twice, "Opened", "{}"))), stream("acct-4", 50),
                StreamImport.Stream.of("acct-5", List.of(EventData.of(twice, "Opened", "{}")))).iterator();

        assertThatThrownBy(() -> StreamImport.into(store).initialLoad().eventsPerTransaction(60).run(streams))
                .isInstanceOfSatisfying(StreamImport.ImportFailedException.class, e -> {
                    assertThat(e.imported().events()).as("nothing is stored").isZero();
                    assertThat(e.getCause()).isInstanceOf(InvalidEventException.class)
                            .hasMessageContaining("event id twice").hasMessageContaining(twice.toString());
                });
        assertThat(count("SELECT count(*) FROM " + schema + ".events")).isZero();
        assertThat(count("SELECT count(*) FROM " + schema + ".streams")).isZero();
        assertThat(indexes()).isEqualTo(indexes);

        List<StreamImport.Stream> repeated = List.of(stream("acct-1", 50), stream("acct-2", 50), stream("acct-1", 2));
        assertThatThrownBy(() -> StreamImport.into(store).initialLoad().eventsPerTransaction(60)
                .run(repeated.iterator())).hasCauseInstanceOf(InvalidEventException.class)
                .hasMessageContaining("appears twice");
        List<StreamImport.Stream> malformed = List.of(stream("acct-1", 50), stream("acct-2", 50),
                new StreamImport.Stream("acct-3", List.of()));
        assertThatThrownBy(() -> StreamImport.into(store).initialLoad().eventsPerTransaction(60)
                .run(malformed.iterator())).hasCauseInstanceOf(InvalidEventException.class);
        assertThat(count("SELECT count(*) FROM " + schema + ".events")).isZero();
        assertThat(indexes()).isEqualTo(indexes);

        StreamImport.into(store).initialLoad().run(List.of(stream("acct-1", 3)).iterator());
        assertThat(store.streamVersion("acct-1")).as("the store is still loadable").isEqualTo(2);
    }

    @Test
    void other_sessions_wait_for_the_load_and_then_see_all_of_it() throws Exception {
        CompletableFuture<List<RecordedEvent>> reader = new CompletableFuture<>();
        List<StreamImport.Stream> streams = List.of(stream("acct-1", 40), stream("acct-2", 40), stream("acct-3", 40));
        StreamImport.into(store).initialLoad().eventsPerTransaction(40).progress(p -> {
            if (p.streams() == 1) {
                CompletableFuture.runAsync(() -> reader.complete(
                        store.readStream("acct-1", ReadDirection.FORWARD, 0, 100)));
                try {
                    reader.get(500, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException expected) {
                    return; // the reader waits, as it must
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                throw new AssertionError("a reader saw the store during an initial load");
            }
        }).run(streams.iterator());

        assertThat(reader.get(10, TimeUnit.SECONDS)).hasSize(40);
    }

    @Test
    void a_store_in_use_is_refused_after_the_lock_wait() throws SQLException {
        try (Connection reader = pool.getConnection(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM " + schema + ".events").close();
            long started = System.nanoTime();
            assertThatThrownBy(() -> StreamImport.into(store).initialLoad().run(List.of(stream("a-1", 1)).iterator()))
                    .hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("needs the store to itself");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(InitialLoad.LOCK_WAIT_SECONDS - 1));
            reader.rollback();
        }
        assertThat(indexes()).isEqualTo(indexes);
    }

    /** @return the events table's index and constraint definitions, sorted */
    private List<String> indexes() {
        List<String> found = new ArrayList<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE "
                        + "schemaname = '" + schema + "' AND tablename = 'events' UNION ALL SELECT conname || ': ' "
                        + "|| pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '" + schema
                        + ".events'::regclass ORDER BY 1")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return found;
    }

    private long count(String sql) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
