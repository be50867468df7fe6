package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent writers, released together by a barrier and repeated: exactly one winner per expected version, losers
 * told the right actual version, {@code any()} writers all succeed with contiguous versions, retries race safely.
 */
@Timeout(120)
public abstract class ConcurrencyContract extends ContractSupport {

    /** How many writers race in each round. */
    protected static final int WRITERS = 8;
    /** How many rounds each race runs. */
    protected static final int ROUNDS = 5;

    @Test
    void racing_writers_with_the_same_exact_version_have_exactly_one_winner() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String stream = newStream("order");
            store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));

            List<Race.Outcome<AppendResult>> outcomes = Race.run(WRITERS,
                    i -> () -> store.append(stream, ExpectedVersion.exactly(0), events(2)));

            String context = "round " + round + ", stream " + stream;
            assertThat(outcomes.stream().filter(Race.Outcome::succeeded)).as(context).hasSize(1);
            for (Race.Outcome<AppendResult> loser : outcomes) {
                if (!loser.succeeded()) {
                    assertThat(loser.failure()).as(context).isInstanceOf(WrongExpectedVersionException.class);
                    assertThat(((WrongExpectedVersionException) loser.failure()).actual()).as(context).isEqualTo(2);
                }
            }
            assertThat(store.readStreamForward(stream)).as(context).extracting(RecordedEvent::streamVersion)
                    .containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void racing_writers_creating_the_same_stream_have_exactly_one_winner() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String stream = newStream("order");

            List<Race.Outcome<AppendResult>> outcomes = Race.run(WRITERS,
                    i -> () -> store.append(stream, ExpectedVersion.noStream(), event("OrderPlaced")));

            String context = "round " + round + ", stream " + stream;
            assertThat(outcomes.stream().filter(Race.Outcome::succeeded)).as(context).hasSize(1);
            assertThat(outcomes.stream().filter(o -> !o.succeeded()).map(Race.Outcome::failure)).as(context)
                    .hasSize(WRITERS - 1)
                    .allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(WrongExpectedVersionException.class,
                            e -> assertThat(e.actual()).isZero()));
            assertThat(store.readStreamForward(stream)).as(context).hasSize(1);
        }
    }

    @Test
    void racing_writers_with_any_all_succeed_with_contiguous_versions() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String stream = newStream("order");
            List<List<EventData>> batches = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                batches.add(events(3));
            }

            List<Race.Outcome<AppendResult>> outcomes = Race.run(WRITERS,
                    i -> () -> store.append(stream, ExpectedVersion.any(), batches.get(i)));

            String context = "round " + round + ", stream " + stream;
            assertThat(outcomes).as(context).allMatch(Race.Outcome::succeeded);
            List<RecordedEvent> read = store.readStreamForward(stream);
            assertThat(read).as(context).extracting(RecordedEvent::streamVersion)
                    .containsExactlyElementsOf(range(3 * WRITERS));
            Set<Long> lastVersions = new HashSet<>();
            for (int i = 0; i < WRITERS; i++) {
                AppendResult result = outcomes.get(i).value();
                lastVersions.add(result.nextExpectedVersion());
                int start = (int) result.nextExpectedVersion() - 2;
                assertThat(idsOf(read.subList(start, start + 3))).as(context + ", writer " + i + " batch together")
                        .containsExactlyElementsOf(dataIdsOf(batches.get(i)));
            }
            assertThat(lastVersions).as(context).hasSize(WRITERS);
        }
    }

    @Test
    void racing_writers_on_different_streams_all_succeed() throws Exception {
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            streams.add(newStream("order"));
        }

        List<Race.Outcome<AppendResult>> outcomes = Race.run(WRITERS,
                i -> () -> store.append(streams.get(i), ExpectedVersion.noStream(), events(2)));

        assertThat(outcomes).allMatch(Race.Outcome::succeeded);
        for (String stream : streams) {
            assertThat(store.streamVersion(stream)).as(stream).isEqualTo(1);
        }
        assertThat(store.readAll(LogPosition.START)).hasSize(2 * WRITERS);
    }

    @Test
    void racing_retries_of_the_same_append_store_it_once_and_all_get_its_result() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String stream = newStream("order");
            List<EventData> batch = events(2);

            List<Race.Outcome<AppendResult>> outcomes = Race.run(WRITERS,
                    i -> () -> store.append(stream, ExpectedVersion.noStream(), batch));

            String context = "round " + round + ", stream " + stream;
            assertThat(outcomes).as(context).allMatch(Race.Outcome::succeeded);
            assertThat(outcomes.stream().map(Race.Outcome::value).distinct()).as(context).hasSize(1);
            assertThat(store.readStreamForward(stream)).as(context).hasSize(2);
        }
    }

    @Test
    void the_log_stays_whole_and_ordered_under_concurrent_writers() throws Exception {
        int appendsPerWriter = 25;
        List<Race.Outcome<List<UUID>>> outcomes = Race.run(WRITERS, i -> () -> {
            List<UUID> written = new ArrayList<>();
            for (int n = 0; n < appendsPerWriter; n++) {
                List<EventData> batch = events(1 + n % 3);
                store.append(newStream(n % 2 == 0 ? "order" : "customer"), ExpectedVersion.noStream(), batch);
                written.addAll(dataIdsOf(batch));
            }
            return written;
        });

        assertThat(outcomes).allMatch(Race.Outcome::succeeded);
        List<UUID> expected = outcomes.stream().flatMap(o -> o.value().stream()).toList();
        List<RecordedEvent> log = readWholeLog(store);
        assertThat(idsOf(log)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(log).extracting(RecordedEvent::logPosition).isSorted().doesNotHaveDuplicates();
    }

    private static List<Long> range(int count) {
        List<Long> values = new ArrayList<>();
        for (long v = 0; v < count; v++) {
            values.add(v);
        }
        return values;
    }
}
