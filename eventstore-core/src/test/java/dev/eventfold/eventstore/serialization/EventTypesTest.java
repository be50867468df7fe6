package dev.eventfold.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    sealed interface ShopEvent permits ItemAdded, PriceChanged, Shipped {
    }

    /** Current schema 3: v1 had {@code qty}, v2 renamed it to {@code quantity}, v3 added {@code unit}. */
    record ItemAdded(String sku, int quantity, String unit) implements ShopEvent {
    }

    record PriceChanged(String sku, BigDecimal price, Instant at, LocalDate validFrom) implements ShopEvent {
    }

    record Shipped() implements ShopEvent {
    }

    // tag::upcasters[]
    private static final EventTypes<ShopEvent> TYPES = EventTypes.builder(ShopEvent.class)
            .register("ItemAdded", ItemAdded.class, 3)
            .register("PriceChanged", PriceChanged.class)
            .register("Shipped", Shipped.class)
            .upcaster("ItemAdded", 1, v1 -> {
                v1.set("quantity", v1.remove("qty"));
                return v1;
            })
            .upcaster("ItemAdded", 2, v2 -> v2.put("unit", "piece"))
            .build();
    // end::upcasters[]

    private static RecordedEvent recorded(EventData data) {
        return new RecordedEvent("cart-1", 4, 17, 900, data.eventId(), data.type(), data.payload(), data.metadata(),
                Instant.parse("2026-11-24T10:00:00Z"));
    }

    private static RecordedEvent stored(String type, int schemaVersion, String json) {
        Metadata metadata = schemaVersion == 0 ? Metadata.empty()
                : Metadata.empty().withHeader(EventTypes.SCHEMA_VERSION_HEADER, Integer.toString(schemaVersion));
        return recorded(new EventData(UUID.randomUUID(), type, Payload.ofJson(json), metadata));
    }

    @Test
    void events_round_trip_with_their_type_name_and_schema_version() {
        PriceChanged event = new PriceChanged("sku-1", new BigDecimal("19.990"), Instant.parse("2026-11-24T10:15:30.5Z"),
                LocalDate.parse("2026-12-01"));
        EventData data = TYPES.toEventData(event, Metadata.empty().withCorrelationId("c-1").withHeader("x", "y"));

        assertThat(data.type()).isEqualTo("PriceChanged");
        assertThat(data.metadata().headers()).isEqualTo(Map.of("x", "y", "schemaVersion", "1"));
        assertThat(data.metadata().correlationId()).isEqualTo("c-1");
        assertThat(data.payload().asString()).isEqualTo(
                "{\"at\":\"2026-11-24T10:15:30.500Z\",\"price\":19.990,\"sku\":\"sku-1\",\"validFrom\":\"2026-12-01\"}");
        assertThat(TYPES.fromRecorded(recorded(data))).isEqualTo(event);
        assertThat(TYPES.toEventData(new ItemAdded("a", 1, "kg"), Metadata.empty()).metadata().headers())
                .containsEntry("schemaVersion", "3");
    }

    @Test
    void old_payloads_are_upcast_through_the_chain() {
        assertThat(TYPES.fromRecorded(stored("ItemAdded", 1, "{\"sku\":\"a\",\"qty\":2}")))
                .isEqualTo(new ItemAdded("a", 2, "piece"));
        assertThat(TYPES.fromRecorded(stored("ItemAdded", 0, "{\"sku\":\"a\",\"qty\":5}")))
                .as("no header means schema version 1").isEqualTo(new ItemAdded("a", 5, "piece"));
        assertThat(TYPES.fromRecorded(stored("ItemAdded", 2, "{\"sku\":\"a\",\"quantity\":3}")))
                .isEqualTo(new ItemAdded("a", 3, "piece"));
        assertThat(TYPES.fromRecorded(stored("ItemAdded", 3, "{\"sku\":\"a\",\"quantity\":3,\"unit\":\"kg\"}")))
                .isEqualTo(new ItemAdded("a", 3, "kg"));
    }

    @Test
    void an_unknown_type_names_the_type_and_the_place() {
        RecordedEvent unknown = stored("CouponApplied", 1, "{\"code\":\"SECRET-CODE\"}");
        assertThatThrownBy(() -> TYPES.fromRecorded(unknown))
                .isInstanceOfSatisfying(SerializationException.class, e -> {
                    assertThat(e.type()).isEqualTo("CouponApplied");
                    assertThat(e.event()).contains(unknown);
                })
                .hasMessage("Cannot deserialize event 'CouponApplied' (schema version 1) of stream 'cart-1' at version"
                        + " 4, global position 17: unknown event type; registered are [ItemAdded, PriceChanged, "
                        + "Shipped]");
    }

    @Test
    void the_folding_view_reads_and_upcasts_as_the_recorded_event_does_and_names_stream_and_version() {
        for (String[] row : new String[][] {{"1", "{\"sku\":\"a\",\"qty\":5}"},
                {"2", "{\"sku\":\"a\",\"quantity\":3}"}, {"3", "{\"sku\":\"a\",\"quantity\":3,\"unit\":\"kg\"}"}}) {
            RecordedEvent recorded = stored("ItemAdded", Integer.parseInt(row[0]), row[1]);
            assertThat(TYPES.fromStream(StreamEvent.of(recorded))).isEqualTo(TYPES.fromRecorded(recorded));
        }
        assertThat(TYPES.fromStream(new StreamEvent("cart-1", 0, "ItemAdded", null,
                Payload.ofJson("{\"sku\":\"a\",\"qty\":5}")))).isEqualTo(new ItemAdded("a", 5, "piece"));

        StreamEvent unknown = new StreamEvent("cart-1", 4, "CouponApplied", "1", Payload.ofJson("{}"));
        assertThatThrownBy(() -> TYPES.fromStream(unknown))
                .isInstanceOfSatisfying(SerializationException.class, e -> assertThat(e.event()).isEmpty())
                .hasMessage("Cannot deserialize event 'CouponApplied' (schema version 1) of stream 'cart-1' at version"
                        + " 4: unknown event type; registered are [ItemAdded, PriceChanged, Shipped]");
        assertThatThrownBy(() -> TYPES.fromStream(new StreamEvent("cart-1", 4, "ItemAdded", "x", Payload.ofJson("{}"))))
                .isInstanceOf(SerializationException.class).hasMessageEndingWith("schema version header is not a number");
    }

    @Test
    void a_payload_that_does_not_fit_is_an_error_without_the_payload_in_the_message() {
        assertThatThrownBy(() -> TYPES.fromRecorded(stored("PriceChanged", 1,
                "{\"sku\":\"SECRET-SKU\",\"price\":\"cheap\"}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize event 'PriceChanged' (schema version 1) of stream 'cart-1' "
                        + "at version 4, global position 17: the payload does not fit")
                .hasMessageNotContaining("SECRET-SKU");
        assertThatThrownBy(() -> TYPES.fromRecorded(stored("ItemAdded", 3, "{\"sku\":\"a\",\"quantity\":null}")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("the payload does not fit");
        assertThatThrownBy(() -> TYPES.fromRecorded(stored("ItemAdded", 1, "[1,2]")))
                .isInstanceOf(SerializationException.class).hasMessageEndingWith("the payload is not a JSON object, so"
                        + " it cannot be upcast");
    }

    @Test
    void a_newer_schema_version_or_a_missing_upcaster_is_an_error() {
        assertThatThrownBy(() -> TYPES.fromRecorded(stored("PriceChanged", 2, "{}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("written with a newer schema version than this code knows (1); deploy the newer "
                        + "code to read it");
        EventTypes<ShopEvent> gap = EventTypes.builder(ShopEvent.class)
                .register("ItemAdded", ItemAdded.class, 3).register("PriceChanged", PriceChanged.class)
                .register("Shipped", Shipped.class)
                .upcaster("ItemAdded", 2, v2 -> v2.put("unit", "piece")).build();
        assertThatThrownBy(() -> gap.fromRecorded(stored("ItemAdded", 1, "{\"qty\":1}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageEndingWith("no upcaster registered from schema version 1 to 2");
        assertThatThrownBy(() -> TYPES.fromRecorded(recordedWithHeader("two")))
                .isInstanceOf(SerializationException.class).hasMessageEndingWith("schema version header is not a "
                        + "number");
    }

    private static RecordedEvent recordedWithHeader(String value) {
        return recorded(new EventData(UUID.randomUUID(), "ItemAdded", Payload.ofJson("{}"),
                Metadata.empty().withHeader(EventTypes.SCHEMA_VERSION_HEADER, value)));
    }

    @Test
    void the_registry_is_checked_when_built() {
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).register("ItemAdded", ItemAdded.class).build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("are not registered: [")
                .hasMessageContaining("PriceChanged").hasMessageContaining("Shipped");
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).register("A", ItemAdded.class)
                .register("A", Shipped.class)).hasMessage("Invalid request: event type 'A' is registered twice");
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).register("A", ItemAdded.class)
                .register("B", ItemAdded.class)).hasMessageContaining("is registered twice, as 'A' and 'B'");
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).register("A", ItemAdded.class, 2)
                .upcaster("A", 2, n -> n))
                .hasMessage("Invalid request: upcaster of 'A' from schema version 2 is out of range: the current "
                        + "version is 2, so upcasters go from 1 to 1");
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).upcaster("Nope", 1, n -> n))
                .hasMessageContaining("unregistered event type 'Nope'");
        assertThatThrownBy(() -> EventTypes.builder(ShopEvent.class).register(" ", Shipped.class))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void an_unregistered_class_cannot_be_written() {
        EventTypes<Object> loose = EventTypes.builder(Object.class).register("Shipped", Shipped.class).build();
        assertThatThrownBy(() -> loose.toEventData("a string", Metadata.empty()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Cannot serialize 'java.lang.String' (schema version 0): class is not registered with "
                        + "EventTypes<Object>");
    }

    @Test
    void state_codecs_refuse_what_does_not_fit() {
        StateCodec<ItemAdded> codec = StateCodec.jackson(ItemAdded.class, 2);
        ItemAdded state = new ItemAdded("a", 1, "kg");
        assertThat(codec.deserialize(codec.serialize(state))).isEqualTo(state);
        assertThatThrownBy(() -> codec.deserialize(Payload.ofJson("{\"quantity\":\"many\"}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot deserialize '" + ItemAdded.class.getName() + "' (schema version 2): "
                        + "the snapshot does not fit the state class");
        assertThatThrownBy(() -> StateCodec.jackson(ItemAdded.class, 0)).isInstanceOf(InvalidRequestException.class);
    }
}
