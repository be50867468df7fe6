package dev.eventfold.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.orders.OrderEvent.ItemAdded;
import dev.eventfold.orders.OrderEvent.ItemQuantityChanged;
import dev.eventfold.orders.OrderEvent.ItemRemoved;
import dev.eventfold.orders.OrderEvent.OrderCancelled;
import dev.eventfold.orders.OrderEvent.OrderPaid;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Seeded random command sequences (the seed is the repetition number, so a failure is replayable); after every step
 * the invariants hold.
 */
class OrderInvariantsTest {

    private static final Map<OrderStatus, Set<OrderStatus>> LEGAL = Map.of(
            OrderStatus.NONE, EnumSet.of(OrderStatus.PENDING),
            OrderStatus.PENDING, EnumSet.of(OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
            OrderStatus.CONFIRMED, EnumSet.of(OrderStatus.PAID, OrderStatus.CANCELLED),
            OrderStatus.PAID, EnumSet.of(OrderStatus.SHIPPED, OrderStatus.CANCELLED),
            OrderStatus.SHIPPED, EnumSet.of(OrderStatus.DELIVERED),
            OrderStatus.DELIVERED, EnumSet.noneOf(OrderStatus.class),
            OrderStatus.CANCELLED, EnumSet.noneOf(OrderStatus.class));

    @RepeatedTest(value = 200, name = "seed {currentRepetition}")
    void invariants_hold_after_every_step(RepetitionInfo repetition) {
        long seed = repetition.getCurrentRepetition();
        RandomOrders commands = new RandomOrders(seed, "o-" + seed);
        Order order = Order.none();
        int accepted = 0;
        for (int step = 0; step < 60; step++) {
            OrderCommand command = commands.next(order);
            List<OrderEvent> events;
            try {
                events = Orders.decide(command, order);
            } catch (OrderRuleViolation rejected) {
                assertThat(rejected.rule()).as("seed %d step %d: every rejection names its rule", seed, step)
                        .startsWith("order.");
                continue;
            }
            assertThat(order.status().isTerminal()).as("seed %d step %d: %s accepted after %s", seed, step,
                    command, order.status()).isFalse();
            Order before = order;
            for (OrderEvent event : events) {
                order = Orders.evolve(order, event);
                check(seed, step, before, event, order);
            }
            assertThat(LEGAL.get(before.status())).as("seed %d step %d: %s -> %s", seed, step, before.status(),
                    order.status()).contains(order.status());
            accepted += events.size();
        }
        assertThat(accepted).as("seed %d accepted something", seed).isPositive();
    }

    private static void check(long seed, int step, Order before, OrderEvent event, Order after) {
        String where = "seed " + seed + " step " + step + " " + event;
        Money sum = Money.zero(after.currency());
        Set<String> products = new HashSet<>();
        for (OrderLine line : after.lines()) {
            sum = sum.plus(line.unitPrice().times(line.quantity()));
            assertThat(products.add(line.productId())).as(where + ": one line per product").isTrue();
            assertThat(line.quantity()).as(where).isBetween(1, OrderLine.MAX_QUANTITY);
            assertThat(line.unitPrice().currency()).as(where + ": prices in the order's currency")
                    .isEqualTo(after.currency());
        }
        assertThat(after.total()).as(where + ": total = sum of lines").isEqualTo(sum);
        assertThat(after.lines()).as(where + ": 1 to 100 lines").hasSizeBetween(1, Orders.MAX_LINES);
        if (event instanceof ItemAdded added) {
            assertThat(added.orderTotal()).as(where).isEqualTo(sum);
        } else if (event instanceof ItemRemoved removed) {
            assertThat(removed.orderTotal()).as(where).isEqualTo(sum);
        } else if (event instanceof ItemQuantityChanged changed) {
            assertThat(changed.orderTotal()).as(where).isEqualTo(sum);
        }
        if (event instanceof ItemAdded || event instanceof ItemRemoved || event instanceof ItemQuantityChanged) {
            assertThat(before.status()).as(where + ": items change only while pending")
                    .isEqualTo(OrderStatus.PENDING);
        }
        if (event instanceof OrderPaid paid) {
            assertThat(paid.amount()).as(where + ": payment = total").isEqualTo(before.total());
        }
        if (event instanceof OrderCancelled cancelled) {
            if (before.status() == OrderStatus.PAID) {
                assertThat(cancelled.refund()).as(where + ": a paid order is refunded").isEqualTo(before.paid());
            } else {
                assertThat(cancelled.refund().isZero()).as(where + ": refunds only after payment").isTrue();
            }
        }
    }
}
