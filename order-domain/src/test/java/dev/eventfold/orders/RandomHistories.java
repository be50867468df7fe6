package dev.eventfold.orders;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Random but legal event histories of many orders, made by running random commands through the decider. */
public final class RandomHistories {

    private RandomHistories() {
    }

    /**
     * @param seed the seed
     * @param orders how many orders
     * @param steps commands tried per order
     * @return order id → its events, in order
     */
    public static Map<String, List<OrderEvent>> of(long seed, int orders, int steps) {
        Map<String, List<OrderEvent>> histories = new LinkedHashMap<>();
        for (int o = 0; o < orders; o++) {
            String id = "o-" + seed + "-" + o;
            RandomOrders commands = new RandomOrders(seed * 1000 + o, id);
            Order state = Order.none();
            List<OrderEvent> events = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                try {
                    for (OrderEvent event : Orders.decide(commands.next(state), state)) {
                        state = Orders.evolve(state, event);
                        events.add(event);
                    }
                } catch (OrderRuleViolation rejected) {
                    // rejected commands leave no trace
                }
            }
            histories.put(id, events);
        }
        return histories;
    }
}
