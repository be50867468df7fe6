package dev.eventfold.eventstore.privacy;

import com.fasterxml.jackson.core.JsonPointer;
import dev.eventfold.eventstore.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which fields of which event types are personal data, and whose. For each event type: a JSON pointer to the field
 * that holds the data subject's id (e.g. {@code /customerId}) and pointers to the personal fields (e.g.
 * {@code /customer}, a whole object, or {@code /shipping/street}). Event types not named carry no personal data.
 *
 * <pre>{@code
 * PersonalDataPolicy policy = PersonalDataPolicy.builder()
 *         .event("OrderPlaced", "/customerId", "/customer")
 *         .snapshots("order", "/customerId", "/customer")   // the state an order snapshot holds
 *         .build();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class PersonalDataPolicy {

    /** Where one event type keeps its subject and its personal fields. */
    record Rule(JsonPointer subject, List<JsonPointer> fields) {
    }

    private final Map<String, Rule> rules;
    private final Map<String, Rule> snapshotRules;

    private PersonalDataPolicy(Map<String, Rule> rules, Map<String, Rule> snapshotRules) {
        this.rules = Map.copyOf(rules);
        this.snapshotRules = Map.copyOf(snapshotRules);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    Optional<Rule> rule(String eventType) {
        return Optional.ofNullable(rules.get(eventType));
    }

    Optional<Rule> snapshotRule(String category) {
        return Optional.ofNullable(snapshotRules.get(category));
    }

    /**
     * @param eventType an event type
     * @return whether events of this type carry personal data
     */
    public boolean covers(String eventType) {
        return rules.containsKey(eventType);
    }

    @Override
    public String toString() {
        return "PersonalDataPolicy" + rules.keySet() + ", snapshots of " + snapshotRules.keySet();
    }

    /** Builds a {@link PersonalDataPolicy}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Rule> rules = new LinkedHashMap<>();
        private final Map<String, Rule> snapshotRules = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Personal data in the snapshots of a category's streams (the folded state, serialized).
         *
         * @param category a stream category, e.g. {@code order}
         * @param subjectPointer a JSON pointer into the state to the subject's id
         * @param personalFields JSON pointers into the state to its personal fields
         * @return this builder
         * @throws InvalidRequestException as {@link #event}
         */
        public Builder snapshots(String category, String subjectPointer, String... personalFields) {
            add(snapshotRules, "snapshots of '" + category + "'", category, subjectPointer, personalFields);
            return this;
        }

        /**
         * @param eventType an event type
         * @param subjectPointer a JSON pointer to the field with the subject's id (a non-empty string in every event
         *     of the type that carries personal data)
         * @param personalFields JSON pointers to the personal fields; none may be the subject field or contain it
         * @return this builder
         * @throws InvalidRequestException if a pointer is malformed, the type is named twice, or no field is given
         */
        public Builder event(String eventType, String subjectPointer, String... personalFields) {
            add(rules, "event type '" + eventType + "'", eventType, subjectPointer, personalFields);
            return this;
        }

        private static void add(Map<String, Rule> into, String what, String key, String subjectPointer,
                String... personalFields) {
            if (key == null || key.isBlank() || into.containsKey(key)) {
                throw new InvalidRequestException(what + ": the name must be non-blank and given once");
            }
            if (personalFields == null || personalFields.length == 0) {
                throw new InvalidRequestException(what + " needs at least one personal field");
            }
            JsonPointer subject = pointer(subjectPointer);
            List<JsonPointer> fields = new java.util.ArrayList<>();
            for (String field : personalFields) {
                JsonPointer each = pointer(field);
                String outer = each.toString();
                if (subject.toString().equals(outer) || subject.toString().startsWith(outer + "/")) {
                    throw new InvalidRequestException("personal field " + field + " of " + what
                            + " holds the subject field " + subjectPointer + ", which must stay readable");
                }
                fields.add(each);
            }
            into.put(key, new Rule(subject, List.copyOf(fields)));
        }

        private static JsonPointer pointer(String value) {
            if (value == null || !value.startsWith("/") || value.length() < 2) {
                throw new InvalidRequestException("a field must be a JSON pointer such as /customer, was '" + value
                        + "'");
            }
            try {
                return JsonPointer.compile(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("malformed JSON pointer '" + value + "': " + e.getMessage());
            }
        }

        /** @return the policy */
        public PersonalDataPolicy build() {
            return new PersonalDataPolicy(rules, snapshotRules);
        }
    }
}
