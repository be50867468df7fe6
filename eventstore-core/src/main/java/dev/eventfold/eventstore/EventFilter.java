package dev.eventfold.eventstore;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Which events a read of {@code $all} or a subscription returns: optionally only one category, optionally only some
 * event types. Both conditions must hold.
 *
 * <p>Immutable.
 *
 * @param category the category to keep, or {@code null} for every category
 * @param types the event types to keep; empty keeps every type
 */
public record EventFilter(String category, Set<String> types) {

    private static final EventFilter ALL = new EventFilter(null, Set.of());

    /**
     * @param category the category to keep, or {@code null} for every category
     * @param types the event types to keep; empty keeps every type
     * @throws InvalidRequestException if the category is blank or has a {@code -}, or a type is null or blank
     */
    public EventFilter {
        if (category != null && (category.isBlank() || category.indexOf('-') >= 0)) {
            throw new InvalidRequestException("category must be non-blank and contain no '-', was '" + category
                    + "'");
        }
        if (types == null) {
            throw new InvalidRequestException("types must not be null (use an empty set for every type)");
        }
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw new InvalidRequestException("event types in a filter must not be blank");
            }
        }
        types = Set.copyOf(types);
    }

    /** @return the filter that keeps every event */
    public static EventFilter all() {
        return ALL;
    }

    /**
     * @param category the category to keep
     * @return a filter that keeps the events of one category
     */
    public static EventFilter category(String category) {
        return new EventFilter(category, Set.of());
    }

    /**
     * @param types the event types to keep
     * @return a filter that keeps events of these types
     */
    public static EventFilter ofTypes(String... types) {
        if (types == null || types.length == 0) {
            throw new InvalidRequestException("name at least one event type to filter on");
        }
        return new EventFilter(null, new HashSet<>(Arrays.asList(types)));
    }

    /**
     * @param newTypes the event types to keep
     * @return a copy that also keeps only these types
     */
    public EventFilter withTypes(String... newTypes) {
        return new EventFilter(category, EventFilter.ofTypes(newTypes).types());
    }

    /** @return {@code true} if this filter keeps every event */
    public boolean isAll() {
        return category == null && types.isEmpty();
    }

    /**
     * @param event an event
     * @return {@code true} if the event passes the filter
     */
    public boolean matches(RecordedEvent event) {
        return (category == null || category.equals(event.category()))
                && (types.isEmpty() || types.contains(event.type()));
    }
}
