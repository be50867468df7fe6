package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.Category;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code category} tag of a stream: its category, the first {@value #MAX_CATEGORIES} seen, then {@code other}. */
final class CategoryTags {

    static final int MAX_CATEGORIES = 100;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    String of(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            return "none";
        }
        String category = Category.of(streamId);
        if (seen.contains(category)) {
            return category;
        }
        synchronized (seen) {
            if (seen.size() < MAX_CATEGORIES) {
                seen.add(category);
                return category;
            }
        }
        return "other";
    }
}
