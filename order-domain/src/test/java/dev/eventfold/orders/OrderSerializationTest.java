package dev.eventfold.orders;

import static dev.eventfold.orders.Fixtures.CONFIRMED;
import static dev.eventfold.orders.Fixtures.PAID;
import static dev.eventfold.orders.Fixtures.PLACED;
import static dev.eventfold.orders.Fixtures.SHIPPED;
import static dev.eventfold.orders.Fixtures.WIDGET;
import static dev.eventfold.orders.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.SerializationException;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event survives JSON exactly (money to the cent, currency, times), old OrderShipped is upcast. */
class OrderSerializationTest {

    static Stream<OrderEvent> everyEvent() {
        return Stream.of(PLACED,
                new OrderEvent.OrderPlaced("o-2", "c-1", Fixtures.EUR, java.util.List.of(WIDGET), null, at(0)),
                new OrderEvent.ItemAdded(new OrderLine("p-3", "Bolt", 4, Money.of("0.25", "EUR")),
                        Money.of("26.50", "EUR"), at(1)),
                new OrderEvent.ItemRemoved("p-2", Money.of("20.00", "EUR"), at(1)),
                new OrderEvent.ItemQuantityChanged("p-1", 5, Money.of("55.50", "EUR"), at(1)),
                CONFIRMED, PAID, SHIPPED, new OrderEvent.OrderDelivered(at(4)),
                new OrderEvent.OrderCancelled("out of stock", Money.of("25.50", "EUR"), at(3)),
                new OrderEvent.OrderCancelled(null, Money.of("0", "JPY"), at(3)));
    }

    private static RecordedEvent stored(EventData data) {
        return new RecordedEvent("order-" + Fixtures.ID, 3, 42, 1000, data.eventId(), data.type(), data.payload(),
                data.metadata(), Instant.parse("2026-11-24T12:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void every_event_round_trips_through_json(OrderEvent event) {
        EventData data = Orders.EVENT_TYPES.toEventData(event, Metadata.empty());
        assertThat(data.type()).isEqualTo(event.getClass().getSimpleName());
        assertThat(Orders.EVENT_TYPES.fromRecorded(stored(data))).isEqualTo(event);
    }

    @Test
    void money_is_written_as_an_exact_decimal_with_its_currency() {
        EventData data = Orders.EVENT_TYPES.toEventData(PAID, Metadata.empty());
        assertThat(data.payload().asString())
                .isEqualTo("{\"amount\":{\"amount\":25.50,\"currency\":\"EUR\"},\"at\":\"2026-11-24T10:02:00Z\","
                        + "\"paymentReference\":\"pay-1\"}");
    }

    @Test
    void a_version_1_order_shipped_is_read_as_version_2() {
        EventData v1 = new EventData(UUID.randomUUID(), "OrderShipped",
                Payload.ofJson("{\"tracking\":\"UPS:1Z999\",\"at\":\"2026-11-24T10:03:00Z\"}"),
                Metadata.empty().withHeader(EventTypes.SCHEMA_VERSION_HEADER, "1"));
        assertThat(Orders.EVENT_TYPES.fromRecorded(stored(v1)))
                .isEqualTo(new OrderEvent.OrderShipped("UPS", "1Z999", at(3)));
        assertThat(Orders.EVENT_TYPES.toEventData(SHIPPED, Metadata.empty()).metadata().headers())
                .containsEntry(EventTypes.SCHEMA_VERSION_HEADER, "2");
    }

    @Test
    void a_stored_event_that_breaks_a_rule_is_a_serialization_error_naming_it() {
        EventData bad = new EventData(UUID.randomUUID(), "OrderPaid", Payload.ofJson(
                "{\"amount\":{\"amount\":-5,\"currency\":\"EUR\"},\"paymentReference\":\"x\",\"at\":\"2026-11-24T10:00:00Z\"}"),
                Metadata.empty());
        assertThatThrownBy(() -> Orders.EVENT_TYPES.fromRecorded(stored(bad)))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize event 'OrderPaid' (schema version 1) of stream 'order-"
                        + Fixtures.ID + "' at version 3, global position 42: the payload does not fit");
    }

    @Test
    void the_order_state_round_trips_as_a_snapshot() {
        Order order = Fixtures.given(PLACED, CONFIRMED, PAID, SHIPPED);
        assertThat(Orders.STATE_CODEC.deserialize(Orders.STATE_CODEC.serialize(order))).isEqualTo(order);
        assertThat(Orders.STATE_CODEC.deserialize(Orders.STATE_CODEC.serialize(Order.none()))).isEqualTo(Order.none());
    }
}
