package dev.eventfold.orders;

import static dev.eventfold.orders.Fixtures.ADA;
import static dev.eventfold.orders.Fixtures.EUR;
import static dev.eventfold.orders.Fixtures.GADGET;
import static dev.eventfold.orders.Fixtures.T0;
import static dev.eventfold.orders.Fixtures.WIDGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.privacy.InMemoryKeyStore;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Orders#PERSONAL_DATA} at work: the customer's data is stored encrypted and an erased order still folds. */
class PersonalDataErasureTest {

    private final InMemoryEventStore raw = InMemoryEventStore.create();
    private final InMemorySnapshotStore rawSnapshots = new InMemorySnapshotStore();
    private final PersonalDataProtection protection = PersonalDataProtection.create(Orders.PERSONAL_DATA,
            new InMemoryKeyStore(), Duration.ZERO);
    private final EventStore store = protection.protect(raw);
    private final SnapshotStore snapshots = protection.protect(rawSnapshots);

    @AfterEach
    void close() {
        raw.close();
    }

    private AggregateRepository<OrderCommand, Order, OrderEvent> repository() {
        return AggregateRepository.builder(store, Orders.DECIDER, Orders.EVENT_TYPES).category(Orders.CATEGORY)
                .snapshots(snapshots, Orders.STATE_CODEC, new SnapshotPolicy(2)).build();
    }

    @Test
    void a_forgotten_customers_orders_keep_their_lines_totals_and_status_and_take_new_commands() {
        try (var orders = repository()) {
            orders.handle("o-1", new OrderCommand.PlaceOrder("o-1", "c-7", EUR, List.of(WIDGET, GADGET), ADA, T0));
            orders.handle("o-1", new OrderCommand.ConfirmOrder("o-1", T0.plusSeconds(1)));
        }   // close() writes the queued snapshot
        String storedEvent = raw.readStreamForward("order-o-1").get(0).payload().asString();
        String storedSnapshot = rawSnapshots.latest("order-o-1").orElseThrow().state().asString();
        for (String stored : List.of(storedEvent, storedSnapshot)) {
            assertThat(stored).doesNotContain("Ada Lovelace", "ada@example.org", ADA.shippingAddress().line1())
                    .contains("\"c-7\"");
        }

        protection.forget("c-7");

        try (var orders = repository()) {
            Order order = orders.load("o-1").state();
            assertThat(order.customer()).isNull();
            assertThat(order.customerId()).isEqualTo("c-7");
            assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
            assertThat(order.total()).isEqualTo(Money.of("25.50", "EUR"));
            assertThat(order.lines()).containsExactly(WIDGET, GADGET);
            var paid = orders.handle("o-1", new OrderCommand.PayOrder("o-1", Money.of("25.50", "EUR"), "pay-1",
                    T0.plusSeconds(2)));
            assertThat(paid.state().status()).isEqualTo(OrderStatus.PAID);
            assertThat(paid.state().customer()).isNull();
        }
    }
}
