package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AppendListener}: the store tells it of every append, fresh or an idempotent retry (for every expected-version
 * mode and batch size, since stores answer retries on different paths), and of every failure with the exception the
 * caller got; a listener that throws changes nothing.
 */
public abstract class AppendListenerContract extends ContractSupport {

    /** One call the listener received. */
    record Call(String streamId, int events, AppendResult result, Boolean replayed, EventStoreException error,
            Duration took) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private EventStore observed;

    @BeforeEach
    final void observedStore() {
        calls.clear();
        observed = storeWith(EventStoreLimits.defaults(), new AppendListener() {
            @Override
            public void appended(String streamId, List<EventData> events, AppendResult result, boolean replayed,
                    Duration took) {
                calls.add(new Call(streamId, events.size(), result, replayed, null, took));
            }

            @Override
            public void failed(String streamId, List<EventData> events, EventStoreException error, Duration took) {
                calls.add(new Call(streamId, events.size(), null, null, error, took));
            }
        });
    }

    @Test
    void a_fresh_append_is_reported_with_its_result_and_a_retry_as_replayed_in_every_mode() {
        String stream = newStream("order");
        List<EventData> first = List.of(event("OrderPlaced"));
        List<EventData> pair = events(2);
        List<EventData> single = List.of(event("OrderConfirmed"));
        List<EventData> anyBatch = events(3);
        List<EventData> anySingle = List.of(event("OrderPaid"));
        List<Supplier<AppendResult>> appends = List.of(
                () -> observed.append(stream, ExpectedVersion.noStream(), first),
                () -> observed.append(stream, ExpectedVersion.exactly(0), pair),
                () -> observed.append(stream, ExpectedVersion.exactly(2), single),
                () -> observed.append(stream, ExpectedVersion.any(), anyBatch),
                () -> observed.append(stream, ExpectedVersion.streamExists(), anySingle));

        for (Supplier<AppendResult> append : appends) {
            AppendResult original = append.get();
            Call fresh = calls.get(calls.size() - 1);
            assertThat(fresh.replayed()).as("fresh append reported as a retry: %s", fresh).isFalse();
            assertThat(fresh.result()).isEqualTo(original);

            AppendResult again = append.get();
            Call retry = calls.get(calls.size() - 1);
            assertThat(again).isEqualTo(original);
            assertThat(retry.replayed()).as("retry not reported as replayed: %s", retry).isTrue();
            assertThat(retry.result()).isEqualTo(original);
        }
        assertThat(calls).hasSize(10).allSatisfy(call -> {
            assertThat(call.streamId()).isEqualTo(stream);
            assertThat(call.error()).isNull();
            assertThat(call.took()).isPositive();
        });
        assertThat(calls.stream().mapToInt(Call::events).sum()).isEqualTo(2 * (1 + 2 + 1 + 3 + 1));
    }

    @Test
    void every_failure_is_reported_with_the_exception_the_caller_got() {
        String stream = newStream("order");
        observed.append(stream, ExpectedVersion.noStream(), events(2));
        EventData placed = event("OrderPlaced");
        observed.append(stream, ExpectedVersion.exactly(1), placed);
        calls.clear();

        Throwable conflict = catchFrom(() -> observed.append(stream, ExpectedVersion.exactly(0), event("X")));
        Throwable duplicate = catchFrom(() -> observed.append(newStream("order"), ExpectedVersion.any(), placed));
        Throwable invalid = catchFrom(() -> observed.append(stream, ExpectedVersion.any(), List.of()));

        assertThat(conflict).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(duplicate).isInstanceOf(DuplicateEventException.class);
        assertThat(invalid).isInstanceOf(InvalidRequestException.class);
        assertThat(calls).extracting(Call::error).containsExactly((EventStoreException) conflict,
                (EventStoreException) duplicate, (EventStoreException) invalid);
        assertThat(calls).allSatisfy(call -> assertThat(call.result()).isNull());
        assertThat(calls.get(0).events()).isEqualTo(1);
        assertThat(calls.get(2).events()).isZero();
    }

    @Test
    void an_append_to_a_tombstoned_stream_is_reported_as_failed() {
        if (!(observed instanceof StreamAdministration admin)) {
            assertThat(supports(Capability.STREAM_DELETION)).isFalse();
            return;
        }
        String stream = newStream("order");
        observed.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));
        admin.tombstone(stream, ExpectedVersion.any());
        calls.clear();

        assertThatThrownBy(() -> observed.append(stream, ExpectedVersion.any(), event("X")))
                .isInstanceOf(StreamDeletedException.class);
        assertThat(calls).singleElement().extracting(Call::error).isInstanceOf(StreamDeletedException.class);
    }

    @Test
    void a_listener_that_throws_changes_nothing() {
        EventStore throwing = storeWith(EventStoreLimits.defaults(), new AppendListener() {
            @Override
            public void appended(String streamId, List<EventData> events, AppendResult result, boolean replayed,
                    Duration took) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void failed(String streamId, List<EventData> events, EventStoreException error, Duration took) {
                throw new IllegalStateException("listener bug");
            }
        });
        String stream = newStream("order");
        AppendResult result = throwing.append(stream, ExpectedVersion.noStream(), event("OrderPlaced"));

        assertThat(result.nextExpectedVersion()).isZero();
        assertThat(throwing.readStreamForward(stream)).hasSize(1);
        assertThatThrownBy(() -> throwing.append(stream, ExpectedVersion.noStream(), event("X")))
                .isInstanceOf(WrongExpectedVersionException.class);
    }

    private static Throwable catchFrom(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the append to fail");
    }
}
