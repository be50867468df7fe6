package dev.eventfold.server.config;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.orders.Orders;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Retention policies as operators write them, in {@code retention.policies} and in {@code POST
 * /api/admin/retention/run}: {@code <category|stream>:<name>} followed by one or more of {@code maxAge=<ISO-8601
 * duration>}, {@code maxCount=<n>}, {@code truncateBefore=<version>}, separated by spaces. Example:
 * {@code category:audit maxAge=P2555D} (the audit trail, seven years). Order streams are aggregates, whose folds need
 * their first event: they are refused here (tombstone or soft-delete an order instead).
 */
public final class RetentionPolicies {

    private RetentionPolicies() {
    }

    /**
     * @param text a policy
     * @return it parsed
     * @throws InvalidRequestException saying what is wrong with it
     */
    public static RetentionPolicy parse(String text) {
        if (text == null || text.isBlank() || text.length() > 500) {
            throw new InvalidRequestException("a retention policy is 1 to 500 characters, like "
                    + "'category:audit maxAge=P2555D'");
        }
        String[] parts = text.strip().split("\\s+");
        int colon = parts[0].indexOf(':');
        String kind = colon < 0 ? "" : parts[0].substring(0, colon);
        String name = colon < 0 ? "" : parts[0].substring(colon + 1);
        if (!kind.equals("category") && !kind.equals("stream") || name.isEmpty()) {
            throw new InvalidRequestException("a retention policy starts with category:<name> or stream:<id>, was '"
                    + parts[0] + "'");
        }
        String category = kind.equals("category") ? name : dev.eventfold.eventstore.Category.of(name);
        if (category.equals(Orders.CATEGORY)) {
            throw new InvalidRequestException("order streams are aggregates and keep every event: tombstone or "
                    + "soft-delete an order instead of a retention policy");
        }
        RetentionPolicy.Builder policy = kind.equals("category") ? RetentionPolicy.category(name)
                : RetentionPolicy.stream(name);
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            String rule = equals < 0 ? parts[i] : parts[i].substring(0, equals);
            String value = equals < 0 ? "" : parts[i].substring(equals + 1);
            try {
                switch (rule) {
                    case "maxAge" -> policy.maxAge(Duration.parse(value));
                    case "maxCount" -> policy.maxCount(Long.parseLong(value));
                    case "truncateBefore" -> policy.truncateBefore(Long.parseLong(value));
                    default -> throw new InvalidRequestException("unknown retention rule '" + rule
                            + "'; use maxAge=<ISO-8601 duration>, maxCount=<n> or truncateBefore=<version>");
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new InvalidRequestException("retention rule " + rule + " has a bad value '" + value
                        + "' (maxAge takes an ISO-8601 duration such as P30D, the others a whole number)");
            }
        }
        return policy.build();
    }
}
