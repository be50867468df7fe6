package dev.eventfold.eventstore.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The explicit registry of an aggregate's event types: type name ↔ class, the current schema version of each, and
 * the {@link Upcaster}s that bring older stored payloads up to it. It turns domain events into {@link EventData} and
 * {@link RecordedEvent}s back into domain events, through Jackson.
 *
 * <pre>{@code
 * EventTypes<AccountEvent> types = EventTypes.builder(AccountEvent.class)
 *         .register("Opened", Opened.class)
 *         .register("Deposited", Deposited.class, 2)           // current schema version 2
 *         .upcaster("Deposited", 1, v1 -> v1.put("currency", "EUR"))
 *         .build();
 * }</pre>
 *
 * <p>The schema version an event was written with travels in its metadata header {@value #SCHEMA_VERSION_HEADER}
 * (absent means 1). On read, a payload of version {@code v} below the current one is passed through the upcasters
 * registered for {@code v}, {@code v + 1}, … in turn. An unknown type, a missing upcaster, a version newer than the
 * registry knows or a payload that does not fit the class is a {@link SerializationException} naming the type and
 * the event's place: events are never skipped.
 *
 * <p>If the base type is a sealed interface or class, {@link Builder#build()} checks that every permitted concrete
 * subtype is registered, so adding an event and forgetting its registration fails at start-up, not at the first read.
 *
 * <p>Immutable and thread-safe once built.
 *
 * @param <E> the base type of the events
 */
public final class EventTypes<E> {

    /** The metadata header that holds the schema version of an event's payload. */
    public static final String SCHEMA_VERSION_HEADER = StreamEvent.SCHEMA_VERSION_HEADER;

    private final Class<E> baseType;
    private final ObjectMapper mapper;
    private final Map<String, Entry> byName;
    private final Map<Class<?>, Entry> byClass;
    /** A reader per type name, built once: {@code mapper.readValue(…, Class)} looks its deserializer up per call. */
    private final Map<String, ObjectReader> readers;

    private EventTypes(Builder<E> builder) {
        this.baseType = builder.baseType;
        this.mapper = builder.mapper;
        this.byName = Map.copyOf(builder.byName);
        Map<Class<?>, Entry> classes = new HashMap<>();
        Map<String, ObjectReader> typeReaders = new HashMap<>();
        for (Entry entry : byName.values()) {
            classes.put(entry.type, entry);
            typeReaders.put(entry.name, mapper.readerFor(entry.type));
        }
        this.byClass = Map.copyOf(classes);
        this.readers = typeReaders;
    }

    /**
     * @param baseType the common supertype of the events (usually a sealed interface)
     * @param <E> the base type
     * @return a builder
     */
    public static <E> Builder<E> builder(Class<E> baseType) {
        return new Builder<>(baseType);
    }

    /** @return the common supertype of the events */
    public Class<E> baseType() {
        return baseType;
    }

    /**
     * @param event a domain event
     * @return its registered type name
     * @throws SerializationException if its class is not registered
     */
    public String typeOf(E event) {
        return entryOf(event).name;
    }

    /**
     * @param typeName a registered type name
     * @return its current schema version
     * @throws InvalidRequestException if the type is not registered
     */
    public int schemaVersion(String typeName) {
        Entry entry = byName.get(typeName);
        if (entry == null) {
            throw new InvalidRequestException("event type '" + typeName + "' is not registered");
        }
        return entry.version;
    }

    /** @return the registered type names */
    public List<String> typeNames() {
        return List.copyOf(byName.keySet());
    }

    /**
     * Serializes a domain event with a new event id ({@link EventData#newEventId()}).
     *
     * @param event the event
     * @param metadata its metadata; the schema version header is added
     * @return what to append
     * @throws SerializationException if the class is not registered or Jackson cannot write it
     */
    public EventData toEventData(E event, Metadata metadata) {
        return toEventData(EventData.newEventId(), event, metadata);
    }

    /**
     * Serializes a domain event.
     *
     * @param eventId the event id (deterministic ids make retried commands idempotent)
     * @param event the event
     * @param metadata its metadata; the schema version header is added
     * @return what to append
     * @throws SerializationException if the class is not registered or Jackson cannot write it
     */
    public EventData toEventData(UUID eventId, E event, Metadata metadata) {
        Entry entry = entryOf(event);
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new SerializationException(entry.name, entry.version, null, "Jackson could not write "
                    + entry.type.getName() + " (" + e.getOriginalMessage() + ")", e);
        }
        Metadata withVersion = (metadata == null ? Metadata.empty() : metadata)
                .withHeader(SCHEMA_VERSION_HEADER, Integer.toString(entry.version));
        return new EventData(eventId, entry.name, Payload.ofJsonBytes(json), withVersion);
    }

    /**
     * Deserializes a stored event, upcasting it to the current schema version first.
     *
     * @param recorded the stored event
     * @return the domain event
     * @throws SerializationException if the type is unknown, an upcaster is missing, the schema version is newer than
     *     registered or the payload does not fit the class
     */
    public E fromRecorded(RecordedEvent recorded) {
        return decode(recorded.type(), recorded.metadata().headers().get(SCHEMA_VERSION_HEADER), recorded.payload(),
                (version, reason, cause) -> new SerializationException(recorded.type(), version, recorded, reason,
                        cause));
    }

    /**
     * Deserializes an event read for a fold ({@link dev.eventfold.eventstore.EventStore#readStreamForFolding}), as
     * {@link #fromRecorded} does.
     *
     * @param event the stored event
     * @return the domain event
     * @throws SerializationException as {@link #fromRecorded}; its message names the stream and version
     */
    public E fromStream(StreamEvent event) {
        return decode(event.type(), event.schemaVersion(), event.payload(),
                (version, reason, cause) -> SerializationException.folding(event.type(), version, event, reason, cause));
    }

    /** Builds the exception for a failed read, knowing where the event sits. */
    @FunctionalInterface
    private interface Failure {
        SerializationException of(int schemaVersion, String reason, Throwable cause);
    }

    private E decode(String type, String versionHeader, Payload payload, Failure failure) {
        Entry entry = byName.get(type);
        int version = storedVersion(versionHeader, failure);
        if (entry == null) {
            throw failure.of(version, "unknown event type; registered are " + new TreeSet<>(byName.keySet()), null);
        }
        if (version > entry.version) {
            throw failure.of(version, "written with a newer schema version than this code knows (" + entry.version
                    + "); deploy the newer code to read it", null);
        }
        try {
            if (version == entry.version) {
                return baseType.cast(readers.get(entry.name).readValue(payload.inputStream()));
            }
            JsonNode node = mapper.readTree(payload.inputStream());
            if (!(node instanceof ObjectNode)) {
                throw failure.of(version, "the payload is not a JSON object, so it cannot be upcast", null);
            }
            ObjectNode current = (ObjectNode) node;
            for (int v = version; v < entry.version; v++) {
                Upcaster upcaster = entry.upcasters.get(v);
                if (upcaster == null) {
                    throw failure.of(version, "no upcaster registered from schema version " + v + " to " + (v + 1),
                            null);
                }
                current = upcaster.upcast(current);
                if (current == null) {
                    throw failure.of(version, "the upcaster from schema version " + v + " returned null", null);
                }
            }
            return baseType.cast(mapper.treeToValue(current, entry.type));
        } catch (IOException e) {
            throw failure.of(version, "the payload does not fit " + entry.type.getName() + " (" + originalMessage(e)
                    + ")", e);
        }
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                : e.getMessage();
    }

    private static int storedVersion(String header, Failure failure) {
        if (header == null) {
            return 1;
        }
        try {
            int version = Integer.parseInt(header);
            if (version < 1) {
                throw failure.of(version, "schema version header is not positive", null);
            }
            return version;
        } catch (NumberFormatException e) {
            throw failure.of(0, "schema version header is not a number", e);
        }
    }

    private Entry entryOf(E event) {
        Objects.requireNonNull(event, "event");
        Entry entry = byClass.get(event.getClass());
        if (entry == null) {
            throw new SerializationException(event.getClass().getName(), 0, null, "class is not registered with "
                    + "EventTypes<" + baseType.getSimpleName() + ">", null);
        }
        return entry;
    }

    @Override
    public String toString() {
        return "EventTypes<" + baseType.getSimpleName() + ">" + byName.keySet();
    }

    private static final class Entry {
        final String name;
        final Class<?> type;
        final int version;
        final Map<Integer, Upcaster> upcasters = new HashMap<>();

        Entry(String name, Class<?> type, int version) {
            this.name = name;
            this.type = type;
            this.version = version;
        }
    }

    /**
     * Builds {@link EventTypes}. Every problem (a duplicate name or class, an upcaster for an unknown type or from a
     * version at or above the current one, an unregistered subtype of a sealed base type) is an
     * {@link InvalidRequestException} naming it. Not thread-safe.
     *
     * @param <E> the base type of the events
     */
    public static final class Builder<E> {
        private final Class<E> baseType;
        private final Map<String, Entry> byName = new LinkedHashMap<>();
        private ObjectMapper mapper = EventfoldJson.newMapper();

        private Builder(Class<E> baseType) {
            if (baseType == null) {
                throw new InvalidRequestException("baseType must not be null");
            }
            this.baseType = baseType;
        }

        /**
         * Registers a type at schema version 1.
         *
         * @param name the stored type name (stable: renaming it orphans stored events)
         * @param type the class events of this name are read into
         * @return this builder
         */
        public Builder<E> register(String name, Class<? extends E> type) {
            return register(name, type, 1);
        }

        /**
         * Registers a type at a given current schema version.
         *
         * @param name the stored type name
         * @param type the class events of this name are read into
         * @param schemaVersion the version new events are written with, 1 or more
         * @return this builder
         */
        public Builder<E> register(String name, Class<? extends E> type, int schemaVersion) {
            if (name == null || name.isBlank() || name.length() > EventData.MAX_TYPE_LENGTH) {
                throw new InvalidRequestException("event type name must be 1 to " + EventData.MAX_TYPE_LENGTH
                        + " non-blank characters, was '" + name + "'");
            }
            if (type == null || !baseType.isAssignableFrom(type)) {
                throw new InvalidRequestException("event type '" + name + "' must be registered with a subtype of "
                        + baseType.getName() + ", was " + type);
            }
            if (schemaVersion < 1) {
                throw new InvalidRequestException("schema version of '" + name + "' must be 1 or more, was "
                        + schemaVersion);
            }
            if (byName.containsKey(name)) {
                throw new InvalidRequestException("event type '" + name + "' is registered twice");
            }
            for (Entry entry : byName.values()) {
                if (entry.type.equals(type)) {
                    throw new InvalidRequestException(type.getName() + " is registered twice, as '" + entry.name
                            + "' and '" + name + "'");
                }
            }
            byName.put(name, new Entry(name, type, schemaVersion));
            return this;
        }

        /**
         * Registers the upcaster from {@code fromVersion} to {@code fromVersion + 1} of a registered type.
         *
         * @param name the type name, registered before
         * @param fromVersion the schema version it reads, below the type's current version
         * @param upcaster the transformation
         * @return this builder
         */
        public Builder<E> upcaster(String name, int fromVersion, Upcaster upcaster) {
            Entry entry = byName.get(name);
            if (entry == null) {
                throw new InvalidRequestException("upcaster for unregistered event type '" + name + "'; register the "
                        + "type first");
            }
            if (fromVersion < 1 || fromVersion >= entry.version) {
                throw new InvalidRequestException("upcaster of '" + name + "' from schema version " + fromVersion
                        + " is out of range: the current version is " + entry.version + ", so upcasters go from 1 to "
                        + (entry.version - 1));
            }
            if (upcaster == null) {
                throw new InvalidRequestException("upcaster must not be null");
            }
            if (entry.upcasters.putIfAbsent(fromVersion, upcaster) != null) {
                throw new InvalidRequestException("upcaster of '" + name + "' from schema version " + fromVersion
                        + " is registered twice");
            }
            return this;
        }

        /**
         * @param value the mapper to read and write payloads with (default {@link EventfoldJson#newMapper()})
         * @return this builder
         */
        public Builder<E> objectMapper(ObjectMapper value) {
            if (value == null) {
                throw new InvalidRequestException("objectMapper must not be null");
            }
            this.mapper = value;
            return this;
        }

        /**
         * @return the registry
         * @throws InvalidRequestException if a concrete subtype of a sealed base type is not registered
         */
        public EventTypes<E> build() {
            List<String> missing = new ArrayList<>();
            if (baseType.isSealed()) {
                collectUnregistered(baseType, missing);
            }
            if (!missing.isEmpty()) {
                throw new InvalidRequestException("these subtypes of sealed " + baseType.getName()
                        + " are not registered: " + missing);
            }
            return new EventTypes<>(this);
        }

        private void collectUnregistered(Class<?> type, List<String> missing) {
            if (type.isSealed()) {
                for (Class<?> sub : type.getPermittedSubclasses()) {
                    collectUnregistered(sub, missing);
                }
            } else if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers())
                    && byName.values().stream().noneMatch(e -> e.type.equals(type))) {
                missing.add(type.getName());
            }
        }
    }
}
