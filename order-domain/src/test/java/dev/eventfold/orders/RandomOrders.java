package dev.eventfold.orders;

import dev.eventfold.orders.OrderCommand.AddItem;
import dev.eventfold.orders.OrderCommand.CancelOrder;
import dev.eventfold.orders.OrderCommand.ChangeQuantity;
import dev.eventfold.orders.OrderCommand.ConfirmOrder;
import dev.eventfold.orders.OrderCommand.DeliverOrder;
import dev.eventfold.orders.OrderCommand.PayOrder;
import dev.eventfold.orders.OrderCommand.PlaceOrder;
import dev.eventfold.orders.OrderCommand.RemoveItem;
import dev.eventfold.orders.OrderCommand.ShipOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random commands against an order, valid and invalid alike (no jqwik: plain {@link Random}). */
final class RandomOrders {

    private final Random random;
    private final String orderId;
    private final String currency;
    private Instant now;

    RandomOrders(long seed, String orderId) {
        this.random = new Random(seed);
        this.orderId = orderId;
        this.currency = random.nextInt(4) == 0 ? "JPY" : "EUR";
        this.now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(86_400 * 300));
    }

    private Money price() {
        String amount = currency.equals("JPY") ? Integer.toString(1 + random.nextInt(5000))
                : (1 + random.nextInt(500)) + "." + String.format("%02d", random.nextInt(100));
        return Money.of(amount, currency);
    }

    private String product() {
        return "p-" + random.nextInt(8);
    }

    private OrderLine line(String productId) {
        return new OrderLine(productId, "Product " + productId, 1 + random.nextInt(20), price());
    }

    /** @return the next command, given the current state (sometimes one the state does not allow) */
    OrderCommand next(Order order) {
        now = now.plusSeconds(1 + random.nextInt(7200));
        switch (random.nextInt(12)) {
            case 0:
            case 1: {
                List<OrderLine> lines = new ArrayList<>();
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    lines.add(line("p-" + i));
                }
                return new PlaceOrder(orderId, "c-" + random.nextInt(5), Money.currency(currency), lines, null, now);
            }
            case 2:
                return new AddItem(orderId, line(product()), now);
            case 3:
                return new RemoveItem(orderId, product(), now);
            case 4:
                return new ChangeQuantity(orderId, product(), 1 + random.nextInt(20), now);
            case 5:
                return new ConfirmOrder(orderId, now);
            case 6:
            case 7: {
                Money total = order.total();
                Money amount = total == null || random.nextInt(5) == 0 ? price() : total;
                return new PayOrder(orderId, amount, "pay-" + random.nextInt(1000), now);
            }
            case 8:
                return new ShipOrder(orderId, "DHL", "t-" + random.nextInt(1000), now);
            case 9:
                return new DeliverOrder(orderId, now);
            default:
                return new CancelOrder(orderId, random.nextBoolean() ? "reason" : null, now);
        }
    }
}
