package dev.eventfold.eventstore.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProjectionListener#all} and {@link AggregateListener#all}: every listener hears, a throwing one included. */
class ListenersTest {

    @Test
    void every_projection_listener_hears_even_after_one_throws() {
        List<String> heard = new ArrayList<>();
        ProjectionListener throwing = new ProjectionListener() {
            @Override
            public void deadLettered(String projection, int version, dev.eventfold.eventstore.RecordedEvent event,
                    String error) {
                heard.add("first");
                throw new IllegalStateException("bug");
            }
        };
        ProjectionListener second = new ProjectionListener() {
            @Override
            public void deadLettered(String projection, int version, dev.eventfold.eventstore.RecordedEvent event,
                    String error) {
                heard.add("second");
            }
        };

        ProjectionListener.all(throwing, second).deadLettered("p", 1, null, "e");

        assertThat(heard).containsExactly("first", "second");
        assertThatThrownBy(() -> ProjectionListener.all(second, null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void every_aggregate_listener_hears_even_after_one_throws() {
        List<String> heard = new ArrayList<>();
        AggregateListener throwing = new AggregateListener() {
            @Override
            public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
                heard.add("first " + streamId);
                throw new IllegalStateException("bug");
            }
        };
        AggregateListener second = new AggregateListener() {
            @Override
            public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
                heard.add("second " + streamId);
            }
        };

        AggregateListener.all(throwing, second).loaded("order-1", 3, false, Duration.ZERO);

        assertThat(heard).containsExactly("first order-1", "second order-1");
        assertThatThrownBy(() -> AggregateListener.all((AggregateListener[]) null))
                .isInstanceOf(InvalidRequestException.class);
    }
}
