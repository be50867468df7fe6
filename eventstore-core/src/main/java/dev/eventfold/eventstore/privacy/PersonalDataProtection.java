package dev.eventfold.eventstore.privacy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.eventfold.eventstore.Category;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamEvent;
import dev.eventfold.eventstore.snapshot.Snapshot;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Crypto-shredding: the personal fields a {@link PersonalDataPolicy} names are encrypted with their subject's key
 * (AES-256-GCM, a fresh nonce per field) when events are appended, and decrypted when they are read. {@link #forget}
 * destroys the subject's keys: from then on those fields read as JSON {@code null} and the event's metadata carries the
 * header {@value #REDACTED_HEADER}{@code : forgotten}; every other field, the metadata, versions and positions stay,
 * so streams still load and folds still run. Nothing in the log is rewritten.
 *
 * <pre>{@code
 * PersonalDataProtection protection = PersonalDataProtection.create(policy, PostgresKeyStore.create(pool, schema));
 * EventStore store = protection.protect(postgresStore);   // encrypts on append, decrypts on read and subscribe
 * protection.forget("customer-7");                        // erasure: the keys are destroyed
 * }</pre>
 *
 * <p>Access logging is opt-in: a {@link PersonalDataAccess} given to {@link #create(PersonalDataPolicy, KeyStore,
 * Duration, PersonalDataAccess)} is told of every decryption (subject, stream, version).
 *
 * <p>Keys found for reading are cached for {@code keyCacheTtl} (default 10 s): a key forgotten through another process
 * can still be used here for that long; {@link #forget} through this instance evicts at once. Thread-safe.
 */
public final class PersonalDataProtection {

    /** The metadata header set on an event read after its subject was forgotten; its value is {@code forgotten}. */
    public static final String REDACTED_HEADER = "personalData";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PersonalDataPolicy policy;
    private final KeyStore keys;
    private final Cache<String, Optional<SubjectKey>> found;
    private final PersonalDataAccess access;

    private PersonalDataProtection(PersonalDataPolicy policy, KeyStore keys, Duration keyCacheTtl,
            PersonalDataAccess access) {
        this.policy = policy;
        this.keys = keys;
        this.found = Caffeine.newBuilder().expireAfterWrite(keyCacheTtl).maximumSize(100_000).build();
        this.access = access;
    }

    /**
     * @param policy which fields are personal data
     * @param keys where the subjects' keys live
     * @return protection that caches found keys for 10 s
     */
    public static PersonalDataProtection create(PersonalDataPolicy policy, KeyStore keys) {
        return create(policy, keys, Duration.ofSeconds(10));
    }

    /**
     * @param policy which fields are personal data
     * @param keys where the subjects' keys live
     * @param keyCacheTtl how long a key found for reading is kept (zero: ask the key store on every read)
     * @return protection
     * @throws InvalidRequestException if an argument is null or the duration negative
     */
    public static PersonalDataProtection create(PersonalDataPolicy policy, KeyStore keys, Duration keyCacheTtl) {
        return create(policy, keys, keyCacheTtl, PersonalDataAccess.none());
    }

    /**
     * @param policy which fields are personal data
     * @param keys where the subjects' keys live
     * @param keyCacheTtl how long a key found for reading is kept (zero: ask the key store on every read)
     * @param access told of every decryption, for access logging
     * @return protection
     * @throws InvalidRequestException if an argument is null or the duration negative
     */
    public static PersonalDataProtection create(PersonalDataPolicy policy, KeyStore keys, Duration keyCacheTtl,
            PersonalDataAccess access) {
        if (policy == null || keys == null || keyCacheTtl == null || keyCacheTtl.isNegative() || access == null) {
            throw new InvalidRequestException("policy, keys, access and a non-negative keyCacheTtl are required");
        }
        return new PersonalDataProtection(policy, keys, keyCacheTtl, access);
    }

    /**
     * @param store a store
     * @return a store that encrypts personal fields on append and decrypts them wherever events are read (stream
     *     reads, folds, {@code $all} and category reads, subscriptions); exact retries of an append still get the
     *     original result
     */
    public EventStore protect(EventStore store) {
        if (store == null) {
            throw new InvalidRequestException("store must not be null");
        }
        return new ProtectedEventStore(store, this);
    }

    /**
     * Forgets a data subject: destroys its keys, so every personal field encrypted for it reads as redacted from now
     * on, in every copy of the events. Idempotent.
     *
     * @param subject the subject's id
     * @return what was done
     */
    public Forgotten forget(String subject) {
        int destroyed = keys.forget(subject);
        evictKeys(subject);
        return new Forgotten(subject, destroyed);
    }

    /**
     * Drops the subject's keys from this instance's cache, for a process that learns of a {@link #forget} made through
     * another instance (another replica, say, through the audit stream) and should stop decrypting at once rather
     * than when its cache entries expire.
     *
     * @param subject the subject's id
     */
    public void evictKeys(String subject) {
        found.asMap().keySet().removeIf(k -> k.startsWith(subject + "|"));
    }

    /**
     * @param subject the subject's id
     * @return how many keys it has now: 0 means it has nothing to forget
     */
    public int keyCount(String subject) {
        return keys.keyCount(subject);
    }

    /**
     * @param subject the subject's id
     * @return when it was last forgotten, empty if never
     */
    public Optional<Instant> forgottenAt(String subject) {
        return keys.forgottenAt(subject);
    }

    /**
     * @param subject the subject's id
     * @return its new current key; events encrypted before still read with the older keys
     */
    public SubjectKey rotate(String subject) {
        return keys.rotate(subject);
    }

    /**
     * What {@link #forget} did.
     *
     * @param subject the subject
     * @param keysDestroyed keys destroyed now; 0 if there were none (never given, or forgotten before)
     */
    public record Forgotten(String subject, int keysDestroyed) {
    }

    /**
     * @param event an event to append
     * @return it with its personal fields encrypted (the same event if its type carries none)
     * @throws InvalidEventException if it carries personal data but no subject id
     */
    public EventData encrypt(EventData event) {
        Payload sealed = seal(policy.rule(event.type()), event.type(), event.payload());
        return sealed == null ? event : new EventData(event.eventId(), event.type(), sealed, event.metadata());
    }

    /**
     * @param store a snapshot store
     * @return a snapshot store that encrypts the personal fields of the states the policy's {@code snapshots} rules
     *     name, by the stream's category, and decrypts (or redacts) them when a snapshot is read
     */
    public SnapshotStore protect(SnapshotStore store) {
        if (store == null) {
            throw new InvalidRequestException("store must not be null");
        }
        return new ProtectedSnapshotStore(store, this);
    }

    Snapshot seal(Snapshot snapshot) {
        Payload sealed = seal(policy.snapshotRule(Category.of(snapshot.streamId())),
                "snapshot:" + Category.of(snapshot.streamId()), snapshot.state());
        return sealed == null ? snapshot : new Snapshot(snapshot.streamId(), snapshot.streamVersion(),
                snapshot.schemaVersion(), sealed, snapshot.takenAt());
    }

    Snapshot open(Snapshot snapshot) {
        Decrypted plain = open(policy.snapshotRule(Category.of(snapshot.streamId())),
                "snapshot:" + Category.of(snapshot.streamId()), snapshot.state(), snapshot.streamId(),
                snapshot.streamVersion());
        return plain == null ? snapshot : new Snapshot(snapshot.streamId(), snapshot.streamVersion(),
                snapshot.schemaVersion(), plain.payload(), snapshot.takenAt());
    }

    /** @return the payload with the rule's fields encrypted, or null if there was nothing to encrypt */
    private Payload seal(Optional<PersonalDataPolicy.Rule> rule, String label, Payload payload) {
        if (rule.isEmpty()) {
            return null;
        }
        JsonNode root = parse(payload, label);
        if (!(root instanceof ContainerNode<?>)) {
            return null;
        }
        SubjectKey key = null;
        boolean changed = false;
        for (JsonPointer field : rule.get().fields()) {
            JsonNode value = root.at(field);
            if (value.isMissingNode() || value.isNull() || FieldCipher.isEnvelope(value)) {
                continue;
            }
            if (key == null) {
                key = keys.currentKey(subject(root, rule.get(), label));
            }
            replace(root, field, FieldCipher.encrypt(value, key, label, field.toString()));
            changed = true;
        }
        return changed ? Payload.ofJson(root.toString()) : null;
    }

    private static String subject(JsonNode root, PersonalDataPolicy.Rule rule, String type) {
        JsonNode subject = root.at(rule.subject());
        if (!subject.isTextual() || subject.asText().isBlank()) {
            throw new InvalidEventException("'" + type + "' carries personal data but no subject id at "
                    + rule.subject());
        }
        return subject.asText();
    }

    /**
     * @param event an event as stored
     * @return it with its personal fields decrypted, or redacted if its subject was forgotten
     * @throws PersonalDataException if a ciphertext was altered or moved
     */
    public RecordedEvent decrypt(RecordedEvent event) {
        Decrypted plain = open(policy.rule(event.type()), event.type(), event.payload(), event.streamId(),
                event.streamVersion());
        if (plain == null) {
            return event;
        }
        return new RecordedEvent(event.streamId(), event.streamVersion(), event.globalPosition(),
                event.transactionId(), event.eventId(), event.type(), plain.payload(), plain.redacted()
                        ? event.metadata().withHeader(REDACTED_HEADER, "forgotten") : event.metadata(),
                event.recordedAt());
    }

    /**
     * @param event an event as a fold reads it
     * @return it with its personal fields decrypted, or redacted (JSON null) if its subject was forgotten
     */
    public StreamEvent decrypt(StreamEvent event) {
        Decrypted plain = open(policy.rule(event.type()), event.type(), event.payload(), event.streamId(),
                event.streamVersion());
        return plain == null ? event : new StreamEvent(event.streamId(), event.streamVersion(), event.type(),
                event.schemaVersion(), plain.payload(), event.last());
    }

    private record Decrypted(Payload payload, boolean redacted) {
    }

    /** @return null if there is nothing to decrypt */
    private Decrypted open(Optional<PersonalDataPolicy.Rule> rule, String type, Payload payload, String streamId,
            long version) {
        if (rule.isEmpty()) {
            return null;
        }
        String where = type.startsWith("snapshot:") ? streamId + " snapshot@" + version : streamId + "@" + version;
        JsonNode root = parse(payload, type);
        boolean changed = false;
        boolean redacted = false;
        String read = null;
        for (JsonPointer field : rule.get().fields()) {
            JsonNode value = root.at(field);
            if (!FieldCipher.isEnvelope(value)) {
                continue;
            }
            String at = where + " (" + type + " " + field + ")";
            JsonNode subject = root.at(rule.get().subject());
            if (!subject.isTextual()) {
                throw new PersonalDataException(at, new IllegalArgumentException("the event names no subject"));
            }
            Optional<JsonNode> plain = FieldCipher.decrypt(value, subject.asText(), type, field.toString(), at,
                    this::findKey);
            replace(root, field, plain.orElse(NullNode.getInstance()));
            redacted |= plain.isEmpty();
            read = plain.isPresent() ? subject.asText() : read;
            changed = true;
        }
        if (read != null) {
            access.decrypted(read, streamId, version);
        }
        return changed ? new Decrypted(Payload.ofJson(root.toString()), redacted) : null;
    }

    private Optional<SubjectKey> findKey(String subject, UUID keyId) {
        return found.get(subject + "|" + keyId, k -> keys.find(subject, keyId));
    }

    private static JsonNode parse(Payload payload, String type) {
        try {
            return JSON.readTree(payload.toBytes());
        } catch (IOException e) {
            throw new InvalidEventException("payload of '" + type + "' is not one JSON document"); // no quote of it
        }
    }

    private static void replace(JsonNode root, JsonPointer field, JsonNode value) {
        JsonNode parent = root.at(field.head());
        String name = field.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            array.set(field.last().getMatchingIndex(), value);
        }
    }
}
