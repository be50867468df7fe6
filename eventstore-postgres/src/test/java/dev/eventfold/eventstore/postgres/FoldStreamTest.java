package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.StreamDeletedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code foldStream} on PostgreSQL: pages of 10,000 events folded row by row as they are read. A stream longer than one
 * page arrives whole and in order; a deleted stream and a failing fold surface as they should, and the connection
 * always goes back to the pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FoldStreamTest {

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore store;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(4);
        schema = TestDatabase.newSchema(pool);
        store = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterAll
    void tearDown() {
        store.close();
        TestDatabase.dropSchema(pool, schema);
    }

    private void write(String stream, int count) {
        for (int written = 0; written < count; written += 500) {
            List<EventData> batch = new ArrayList<>();
            for (int i = written; i < Math.min(count, written + 500); i++) {
                batch.add(EventData.of("Counted", "{\"n\":" + i + "}"));
            }
            store.append(stream, written == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(written - 1),
                    batch);
        }
    }

    /**
     * No connection stays borrowed. Waits a moment: the store's notifier borrows one, on its own thread, to announce
     * the appends that {@link #write} just made.
     */
    private void connectionsReturned() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                pool.getHikariPoolMXBean().getActiveConnections()).as("borrowed connections").isZero());
    }

    @Test
    void a_stream_longer_than_one_page_arrives_whole_and_in_order() {
        write("long-1", 10_050);
        AtomicLong next = new AtomicLong();
        List<Boolean> lastMarks = new ArrayList<>();
        store.foldStream("long-1", 0, event -> {
            assertThat(event.streamVersion()).isEqualTo(next.getAndIncrement());
            assertThat(event.payload().asString()).isEqualTo("{\"n\":" + event.streamVersion() + "}");
            lastMarks.add(event.last());
            return true;
        });
        assertThat(next.get()).isEqualTo(10_050);
        assertThat(lastMarks.indexOf(true)).as("only the last event is marked last").isEqualTo(10_049);
        connectionsReturned();
    }

    @Test
    void a_deleted_stream_and_a_failing_fold_end_the_read_and_give_the_connection_back() {
        write("gone-1", 3);
        store.tombstone("gone-1", ExpectedVersion.any());
        assertThatThrownBy(() -> store.foldStream("gone-1", 0, event -> true))
                .isInstanceOf(StreamDeletedException.class);

        write("fails-1", 5);
        assertThatThrownBy(() -> store.foldStream("fails-1", 0, event -> {
            throw new IllegalStateException("the decider refused version " + event.streamVersion());
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("version 0");
        connectionsReturned();
        store.append("fails-1", ExpectedVersion.exactly(4), EventData.of("Counted", "{}")); // the pool still works
    }
}
