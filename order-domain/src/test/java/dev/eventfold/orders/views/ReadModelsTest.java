package dev.eventfold.orders.views;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import dev.eventfold.orders.RandomHistories;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The rows built event by event equal the rows derived directly from the final states, over random histories of many
 * orders.
 */
class ReadModelsTest {

    private record DayKey(LocalDate day, Currency currency) {
    }

    @org.junit.jupiter.api.Test
    void an_event_without_the_orders_start_is_a_typed_error_naming_the_order() {
        OrderEvent confirmed = new OrderEvent.OrderConfirmed(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OrderSummary.apply(null, "o-9", 3, confirmed))
                .isInstanceOfSatisfying(IncompleteOrderHistory.class, e -> {
                    assertThat(e.orderId()).isEqualTo("o-9");
                    assertThat(e.version()).isEqualTo(3);
                }).hasMessageContaining("does not start with OrderPlaced");
    }

    @RepeatedTest(value = 30, name = "seed {currentRepetition}")
    void rows_built_event_by_event_equal_rows_from_the_final_states(RepetitionInfo repetition) {
        Map<String, List<OrderEvent>> histories = RandomHistories.of(repetition.getCurrentRepetition(), 25, 40);

        Map<DayKey, DailySales> sales = new HashMap<>();
        Map<DayKey, DailySales> salesFromStates = new HashMap<>();
        for (Map.Entry<String, List<OrderEvent>> history : histories.entrySet()) {
            String orderId = history.getKey();
            OrderSummary row = null;
            Order state = Order.none();
            List<CustomerHistoryEntry> entries = new ArrayList<>();
            List<CustomerHistoryEntry> entriesFromStates = new ArrayList<>();
            long version = -1;
            for (OrderEvent event : history.getValue()) {
                version++;
                row = OrderSummary.apply(row, orderId, version, event);
                entries.add(CustomerHistoryEntry.of(row, event));
                state = Orders.evolve(state, event);
                entriesFromStates.add(CustomerHistoryEntry.of(OrderSummary.of(state, version), event));
                DailySales.change(event).ifPresent(change -> sales.merge(new DayKey(change.day(), change.currency()),
                        DailySales.apply(null, change), (old, fresh) -> DailySales.apply(old, change)));
            }
            if (row == null) {
                continue;
            }
            assertThat(row).as("summary of %s", orderId).isEqualTo(OrderSummary.of(state, version));
            assertThat(entries).as("history of %s", orderId).isEqualTo(entriesFromStates);
            for (DailySales.Change change : DailySales.changesOf(state)) {
                salesFromStates.merge(new DayKey(change.day(), change.currency()), DailySales.apply(null, change),
                        (old, fresh) -> DailySales.apply(old, change));
            }
        }
        assertThat(sales).isEqualTo(salesFromStates);
        sales.values().forEach(day -> assertThat(day.net()).isEqualByComparingTo(
                day.gross().amount().subtract(day.refunds().amount())));
    }

}
