package dev.eventfold.orders;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** STYLE rule 17: the domain does no I/O, reads no clock, carries no annotations; and it runs on the library. */
class PurityTest {

    private static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.eventfold.orders");

    @Test
    void the_domain_does_no_io_and_reads_no_clock() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
                "java.sql..", "javax.sql..", "java.util.concurrent..").check(DOMAIN);
        noClasses().should().dependOnClassesThat().areAssignableTo(Clock.class).check(DOMAIN);
        noClasses().should().callMethod(Instant.class, "now").orShould().callMethod(System.class,
                "currentTimeMillis").orShould().callMethod(System.class, "nanoTime").check(DOMAIN);
    }

    @Test
    void the_domain_carries_no_annotations() {
        DOMAIN.forEach(type -> {
            assertThat(type.getAnnotations()).as("%s", type.getName()).isEmpty();
            type.getMembers().forEach(member -> assertThat(member.getAnnotations()).as("%s", member.getFullName())
                    .isEmpty());
        });
    }

    @Test
    void orders_run_on_the_aggregate_repository_with_snapshots() {
        try (EventStore store = InMemoryEventStore.create();
                AggregateRepository<OrderCommand, Order, OrderEvent> orders = AggregateRepository
                        .builder(store, Orders.DECIDER, Orders.EVENT_TYPES).category(Orders.CATEGORY)
                        .snapshots(new InMemorySnapshotStore(), Orders.STATE_CODEC, SnapshotPolicy.everyNEvents(2))
                        .build()) {
            String id = "42";
            orders.handle(id, new OrderCommand.PlaceOrder(id, "c-7", Fixtures.EUR, List.of(Fixtures.WIDGET),
                    Fixtures.ADA, Fixtures.T0));
            orders.handle(id, new OrderCommand.ConfirmOrder(id, Fixtures.at(1)));
            orders.handle(id, new OrderCommand.PayOrder(id, Money.of("20", "EUR"), "pay-9", Fixtures.at(2)));

            Order order = orders.load(id).state();
            assertThat(order.status()).isEqualTo(OrderStatus.PAID);
            assertThat(order.paid()).isEqualTo(Money.of("20.00", "EUR"));
            assertThat(store.readStreamForward("order-42")).hasSize(3);
        }
    }
}
