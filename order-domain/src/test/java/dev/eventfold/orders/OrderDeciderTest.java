package dev.eventfold.orders;

import static dev.eventfold.orders.Fixtures.ADA;
import static dev.eventfold.orders.Fixtures.CONFIRMED;
import static dev.eventfold.orders.Fixtures.EUR;
import static dev.eventfold.orders.Fixtures.GADGET;
import static dev.eventfold.orders.Fixtures.ID;
import static dev.eventfold.orders.Fixtures.PAID;
import static dev.eventfold.orders.Fixtures.PLACED;
import static dev.eventfold.orders.Fixtures.SHIPPED;
import static dev.eventfold.orders.Fixtures.WIDGET;
import static dev.eventfold.orders.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.eventfold.orders.OrderCommand.AddItem;
import dev.eventfold.orders.OrderCommand.CancelOrder;
import dev.eventfold.orders.OrderCommand.ChangeQuantity;
import dev.eventfold.orders.OrderCommand.ConfirmOrder;
import dev.eventfold.orders.OrderCommand.DeliverOrder;
import dev.eventfold.orders.OrderCommand.PayOrder;
import dev.eventfold.orders.OrderCommand.PlaceOrder;
import dev.eventfold.orders.OrderCommand.RemoveItem;
import dev.eventfold.orders.OrderCommand.ShipOrder;
import dev.eventfold.orders.OrderEvent.ItemAdded;
import dev.eventfold.orders.OrderEvent.ItemQuantityChanged;
import dev.eventfold.orders.OrderEvent.ItemRemoved;
import dev.eventfold.orders.OrderEvent.OrderCancelled;
import dev.eventfold.orders.OrderEvent.OrderConfirmed;
import dev.eventfold.orders.OrderEvent.OrderDelivered;
import dev.eventfold.orders.OrderEvent.OrderPaid;
import dev.eventfold.orders.OrderEvent.OrderPlaced;
import dev.eventfold.orders.OrderEvent.OrderShipped;
import dev.eventfold.orders.OrderRuleViolation.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Given events, when a command, then events or a named rule violation: every transition and every rejection. */
class OrderDeciderTest {

    private static final OrderLine BOLT = new OrderLine("p-3", "Bolt", 4, Money.of("0.25", "EUR"));

    private static Arguments then(String name, List<OrderEvent> given, OrderCommand when, List<OrderEvent> then) {
        return Arguments.of(name, given, when, then, null, null, null);
    }

    private static Arguments rejected(String name, List<OrderEvent> given, OrderCommand when,
            Class<? extends OrderRuleViolation> type, Kind kind, String message) {
        return Arguments.of(name, given, when, null, type, kind, message);
    }

    static Stream<Arguments> table() {
        List<OrderEvent> pending = List.of(PLACED);
        List<OrderEvent> confirmed = List.of(PLACED, CONFIRMED);
        List<OrderEvent> paid = List.of(PLACED, CONFIRMED, PAID);
        List<OrderEvent> shipped = List.of(PLACED, CONFIRMED, PAID, SHIPPED);
        List<OrderEvent> delivered = List.of(PLACED, CONFIRMED, PAID, SHIPPED, new OrderDelivered(at(4)));
        List<OrderEvent> cancelled = List.of(PLACED, new OrderCancelled(null, Money.of("0", "EUR"), at(1)));
        return Stream.of(
                // placing
                then("place", List.of(), new PlaceOrder(ID, "c-7", EUR, List.of(WIDGET, GADGET), ADA, Fixtures.T0),
                        List.of(PLACED)),
                rejected("place twice", pending, new PlaceOrder(ID, "c-7", EUR, List.of(WIDGET), null, at(1)),
                        OrderRuleViolation.OrderAlreadyExists.class, Kind.CONFLICT,
                        "Order " + ID + " already exists (PENDING)"),
                rejected("place with a product twice", List.of(), new PlaceOrder(ID, "c-7", EUR,
                        List.of(WIDGET, WIDGET.withQuantity(1)), null, at(0)), InvalidOrderData.class, Kind.INVALID,
                        "items[1].productId 'p-1' appears more than once; use one line with the total quantity"),
                rejected("place with a price in another currency", List.of(), new PlaceOrder(ID, "c-7", EUR,
                        List.of(new OrderLine("p-9", "Yen thing", 1, Money.of("100", "JPY"))), null, at(0)),
                        InvalidOrderData.class, Kind.INVALID, "items[0].price is in JPY but the order is in EUR"),
                rejected("place with too many lines", List.of(), new PlaceOrder(ID, "c-7", EUR, manyLines(101),
                        null, at(0)), OrderRuleViolation.TooManyLines.class, Kind.INVALID,
                        "Order " + ID + " would have 101 lines; the limit is 100"),
                rejected("place with an absurd total", List.of(), new PlaceOrder(ID, "c-7", EUR, List.of(
                        new OrderLine("p-1", "Gold", 10_000, Money.of("99999.99", "EUR")),
                        new OrderLine("p-2", "Platinum", 10_000, Money.of("99999.99", "EUR"))), null, at(0)),
                        InvalidOrderData.class, Kind.INVALID, "amount must not exceed 1000000000, was 1999999800.00"),
                // commands before the order exists
                rejected("confirm a missing order", List.of(), new ConfirmOrder(ID, at(1)),
                        OrderRuleViolation.OrderNotFound.class, Kind.NOT_FOUND, "Order " + ID + " does not exist"),
                rejected("add to a missing order", List.of(), new AddItem(ID, BOLT, at(1)),
                        OrderRuleViolation.OrderNotFound.class, Kind.NOT_FOUND, "Order " + ID + " does not exist"),
                // items while pending
                then("add an item", pending, new AddItem(ID, BOLT, at(1)),
                        List.of(new ItemAdded(BOLT, Money.of("26.50", "EUR"), at(1)))),
                rejected("add a product already there", pending, new AddItem(ID, WIDGET.withQuantity(3), at(1)),
                        OrderRuleViolation.DuplicateItem.class, Kind.INVALID, "Order " + ID
                                + " already has a line for product 'p-1'; change its quantity instead"),
                rejected("add an item in another currency", pending, new AddItem(ID,
                        new OrderLine("p-4", "Dollar", 1, Money.of("1.00", "USD")), at(1)), InvalidOrderData.class,
                        Kind.INVALID, "item.price is in USD but the order is in EUR"),
                rejected("add the 101st line", List.of(new OrderPlaced(ID, "c-7", EUR, manyLines(100), null,
                        at(0))), new AddItem(ID, BOLT, at(1)), OrderRuleViolation.TooManyLines.class, Kind.INVALID,
                        "Order " + ID + " would have 101 lines; the limit is 100"),
                then("remove an item", pending, new RemoveItem(ID, "p-2", at(1)),
                        List.of(new ItemRemoved("p-2", Money.of("20.00", "EUR"), at(1)))),
                rejected("remove an unknown item", pending, new RemoveItem(ID, "p-404", at(1)),
                        OrderRuleViolation.UnknownItem.class, Kind.INVALID,
                        "Order " + ID + " has no line for product 'p-404'"),
                rejected("remove the last item", List.of(PLACED, new ItemRemoved("p-2", Money.of("20", "EUR"),
                        at(1))), new RemoveItem(ID, "p-1", at(2)), OrderRuleViolation.LastItem.class, Kind.CONFLICT,
                        "Product 'p-1' is the last line of order " + ID
                                + "; an order keeps at least one line (cancel it instead)"),
                then("change a quantity", pending, new ChangeQuantity(ID, "p-1", 5, at(1)),
                        List.of(new ItemQuantityChanged("p-1", 5, Money.of("55.50", "EUR"), at(1)))),
                then("change a quantity to what it is", pending, new ChangeQuantity(ID, "p-1", 2, at(1)), List.of()),
                rejected("change the quantity of an unknown item", pending, new ChangeQuantity(ID, "p-404", 5,
                        at(1)), OrderRuleViolation.UnknownItem.class, Kind.INVALID,
                        "Order " + ID + " has no line for product 'p-404'"),
                rejected("add an item once confirmed", confirmed, new AddItem(ID, BOLT, at(2)),
                        OrderRuleViolation.ItemsLocked.class, Kind.CONFLICT,
                        "Items of order " + ID + " can only change while PENDING; it is CONFIRMED"),
                rejected("remove an item once paid", paid, new RemoveItem(ID, "p-1", at(3)),
                        OrderRuleViolation.ItemsLocked.class, Kind.CONFLICT,
                        "Items of order " + ID + " can only change while PENDING; it is PAID"),
                rejected("change a quantity once shipped", shipped, new ChangeQuantity(ID, "p-1", 1, at(4)),
                        OrderRuleViolation.ItemsLocked.class, Kind.CONFLICT,
                        "Items of order " + ID + " can only change while PENDING; it is SHIPPED"),
                // the lifecycle
                then("confirm", pending, new ConfirmOrder(ID, at(1)), List.of(new OrderConfirmed(at(1)))),
                rejected("confirm twice", confirmed, new ConfirmOrder(ID, at(2)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be confirmed while CONFIRMED; allowed from PENDING"),
                then("pay the total", confirmed, new PayOrder(ID, Money.of("25.5", "EUR"), "pay-1", at(2)),
                        List.of(PAID)),
                rejected("pay a pending order", pending, new PayOrder(ID, Money.of("25.50", "EUR"), "pay-1", at(1)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be paid while PENDING; allowed from CONFIRMED"),
                rejected("pay less than the total", confirmed, new PayOrder(ID, Money.of("25.49", "EUR"), "pay-1",
                        at(2)), OrderRuleViolation.PaymentMismatch.class, Kind.INVALID,
                        "Payment of 25.49 EUR for order " + ID + " does not match its total 25.50 EUR"),
                rejected("pay in another currency", confirmed, new PayOrder(ID, Money.of("25.50", "USD"), "pay-1",
                        at(2)), InvalidOrderData.class, Kind.INVALID, "amount is in USD but the order is in EUR"),
                rejected("pay twice", paid, new PayOrder(ID, Money.of("25.50", "EUR"), "pay-2", at(3)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be paid while PAID; allowed from CONFIRMED"),
                then("ship", paid, new ShipOrder(ID, "DHL", "123", at(3)), List.of(SHIPPED)),
                rejected("ship an unpaid order", confirmed, new ShipOrder(ID, "DHL", "123", at(3)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be shipped while CONFIRMED; allowed from PAID"),
                then("deliver", shipped, new DeliverOrder(ID, at(4)), List.of(new OrderDelivered(at(4)))),
                rejected("deliver before shipping", paid, new DeliverOrder(ID, at(4)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be delivered while PAID; allowed from SHIPPED"),
                // cancelling
                then("cancel a pending order: no refund", pending, new CancelOrder(ID, "changed my mind", at(1)),
                        List.of(new OrderCancelled("changed my mind", Money.of("0.00", "EUR"), at(1)))),
                then("cancel a confirmed order: no refund", confirmed, new CancelOrder(ID, null, at(2)),
                        List.of(new OrderCancelled(null, Money.of("0", "EUR"), at(2)))),
                then("cancel a paid order: full refund", paid, new CancelOrder(ID, "out of stock", at(3)),
                        List.of(new OrderCancelled("out of stock", Money.of("25.50", "EUR"), at(3)))),
                rejected("cancel a shipped order", shipped, new CancelOrder(ID, null, at(4)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT, "Order " + ID
                                + " cannot be cancelled while SHIPPED; allowed from PENDING, CONFIRMED, PAID"),
                rejected("cancel a delivered order", delivered, new CancelOrder(ID, null, at(5)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT, "Order " + ID
                                + " cannot be cancelled while DELIVERED; allowed from PENDING, CONFIRMED, PAID"),
                rejected("cancel twice", cancelled, new CancelOrder(ID, null, at(2)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT, "Order " + ID
                                + " cannot be cancelled while CANCELLED; allowed from PENDING, CONFIRMED, PAID"),
                rejected("confirm a cancelled order", cancelled, new ConfirmOrder(ID, at(2)),
                        OrderRuleViolation.IllegalTransition.class, Kind.CONFLICT,
                        "Order " + ID + " cannot be confirmed while CANCELLED; allowed from PENDING"),
                rejected("items of a cancelled order", cancelled, new AddItem(ID, BOLT, at(2)),
                        OrderRuleViolation.ItemsLocked.class, Kind.CONFLICT,
                        "Items of order " + ID + " can only change while PENDING; it is CANCELLED"));
    }

    static List<OrderLine> manyLines(int n) {
        List<OrderLine> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(new OrderLine("p-" + (1000 + i), "Part " + i, 1, Money.of("1.00", "EUR")));
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void given_when_then(String name, List<OrderEvent> given, OrderCommand when, List<OrderEvent> then,
            Class<? extends OrderRuleViolation> type, Kind kind, String message) {
        Order state = Fixtures.given(given.toArray(OrderEvent[]::new));
        if (then != null) {
            assertThat(Orders.decide(when, state)).isEqualTo(then);
            return;
        }
        Throwable thrown = catchThrowable(() -> Orders.decide(when, state));
        assertThat(thrown).isInstanceOf(type).hasMessage(message);
        assertThat(((OrderRuleViolation) thrown).kind()).isEqualTo(kind);
    }
}
