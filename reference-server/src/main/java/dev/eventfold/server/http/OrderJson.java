package dev.eventfold.server.http;

import dev.eventfold.orders.InvalidOrderData;
import dev.eventfold.orders.Money;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderLine;
import dev.eventfold.orders.OrderStatus;
import dev.eventfold.orders.PersonalData;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The order JSON: request bodies in, the order (with its ETag) out. */
final class OrderJson {

    private OrderJson() {
    }

    record ItemBody(String productId, String productName, Integer quantity, BigDecimal price) {
    }

    record AddressBody(String line1, String line2, String city, String postalCode, String country) {
    }

    record CustomerBody(String name, String email, AddressBody shippingAddress) {
    }

    record CreateBody(String customerId, List<ItemBody> items, String currency, CustomerBody customer) {
    }

    record PayBody(BigDecimal amount, String currency, String paymentReference) {
    }

    record ShipBody(String carrier, String trackingNumber) {
    }

    record CancelBody(String reason) {
    }

    record QuantityBody(Integer quantity) {
    }

    static OrderLine line(String field, ItemBody item, Currency currency) {
        if (item == null) {
            throw ApiException.invalid(field, "must be an object");
        }
        if (item.quantity() == null) {
            throw ApiException.invalid(field + ".quantity", "is required");
        }
        if (item.price() == null) {
            throw ApiException.invalid(field + ".price", "is required");
        }
        try {
            return new OrderLine(item.productId(), item.productName(), item.quantity(), new Money(item.price(),
                    currency));
        } catch (InvalidOrderData e) {
            throw ApiException.invalid(field + "." + e.field(), e.getMessage().substring(e.field().length() + 1));
        }
    }

    static PersonalData personal(CustomerBody customer) {
        if (customer == null) {
            return null;
        }
        AddressBody a = customer.shippingAddress();
        return new PersonalData(customer.name(), customer.email(), a == null ? null
                : new PersonalData.Address(a.line1(), a.line2(), a.city(), a.postalCode(), a.country()));
    }

    static void respond(Context ctx, Order order, long version) {
        ctx.header("ETag", "\"" + version + "\"");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", order.orderId());
        body.put("version", version);
        body.put("status", order.status());
        body.put("customerId", order.customerId());
        body.put("currency", order.currency().getCurrencyCode());
        List<Map<String, Object>> items = new ArrayList<>();
        for (OrderLine line : order.lines()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("productId", line.productId());
            item.put("productName", line.productName());
            item.put("quantity", line.quantity());
            item.put("price", line.unitPrice().amount().toPlainString());
            item.put("lineTotal", line.total().amount().toPlainString());
            items.add(item);
        }
        body.put("items", items);
        body.put("total", order.total().amount().toPlainString());
        body.put("customer", order.customer());
        body.put("createdAt", order.placedAt());
        body.put("updatedAt", order.updatedAt());
        if (order.paid() != null) {
            body.put("payment", Map.of("amount", order.paid().amount().toPlainString(), "reference",
                    order.paymentReference(), "paidAt", order.paidAt().toString()));
        }
        if (order.carrier() != null) {
            body.put("shipping", Map.of("carrier", order.carrier(), "trackingNumber", order.trackingNumber()));
        }
        if (order.status() == OrderStatus.CANCELLED) {
            Map<String, Object> cancellation = new LinkedHashMap<>();
            cancellation.put("reason", order.cancelReason());
            cancellation.put("refund", order.refund().amount().toPlainString());
            cancellation.put("cancelledAt", order.cancelledAt().toString());
            body.put("cancellation", cancellation);
        }
        json(ctx, body);
    }

    static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(Json.RESPONSES.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
