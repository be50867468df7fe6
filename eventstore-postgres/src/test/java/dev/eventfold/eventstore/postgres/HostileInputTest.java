package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile stream ids and types are rejected, or stored verbatim, never executed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final String[] HOSTILE = {"order-'; DROP TABLE events; --", "order-\"quoted\"", "o'brien-1",
            "заказ-1", "订单-🚀", "order-1) OR (1=1", "order-$1", "order-\\x00"};

    private HikariDataSource pool;
    private String schema;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(4);
        schema = TestDatabase.newSchema(pool);
    }

    @AfterAll
    void tearDown() {
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-'; DROP TABLE events; --", "order-\"quoted\"", "заказ-1", "order-1) OR (1=1"})
    void the_default_pattern_rejects_hostile_ids_before_any_sql(String streamId) {
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            assertThatThrownBy(() -> store.append(streamId, ExpectedVersion.any(), EventData.of("T", "{}")))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("does not match the pattern");
            assertThat(store.readAll(LogPosition.START, 1000)).noneMatch(e -> e.streamId().equals(streamId));
        }
    }

    @Test
    void a_permissive_pattern_stores_hostile_ids_verbatim() {
        EventStoreLimits permissive = EventStoreLimits.builder().streamIdPattern(Pattern.compile("\\P{Cc}+"))
                .maxStreamIdLength(1000).build();
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).limits(permissive).build()) {
            for (String streamId : HOSTILE) {
                store.append(streamId, ExpectedVersion.noStream(), EventData.of("Hostile", "{}"));
                List<RecordedEvent> read = store.readStreamForward(streamId);
                assertThat(read).as(streamId).hasSize(1);
                assertThat(read.get(0).streamId()).isEqualTo(streamId);
            }
            assertThat(store.readCategory("order", LogPosition.START, 1000)).extracting(RecordedEvent::streamId)
                    .contains("order-'; DROP TABLE events; --", "order-1) OR (1=1");
            assertThat(store.readCategory("заказ", LogPosition.START, 10)).hasSize(1);

            String tenKilobytes = "order-" + "x".repeat(10_240);
            assertThatThrownBy(() -> store.append(tenKilobytes, ExpectedVersion.any(), EventData.of("T", "{}")))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("Invalid request: streamId is 10246 characters, the limit is 1000");
            assertThat(store.readAll(LogPosition.START, 1000)).hasSize(HOSTILE.length);
        }
    }
}
