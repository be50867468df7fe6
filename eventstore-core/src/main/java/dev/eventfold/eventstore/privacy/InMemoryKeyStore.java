package dev.eventfold.eventstore.privacy;

import dev.eventfold.eventstore.InvalidRequestException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A {@link KeyStore} in memory, for tests and the in-memory event store. Thread-safe. */
public final class InMemoryKeyStore implements KeyStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, List<SubjectKey>> keys = new HashMap<>();
    private final Map<String, Instant> forgotten = new HashMap<>();
    private final InstantSource clock;

    /** A store on the system clock. */
    public InMemoryKeyStore() {
        this(InstantSource.system());
    }

    /** @param clock the source of {@link SubjectKey#createdAt()} */
    public InMemoryKeyStore(InstantSource clock) {
        this.clock = clock;
    }

    static byte[] newKey() {
        byte[] key = new byte[SubjectKey.LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    private static void check(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new InvalidRequestException("subject must not be blank");
        }
    }

    @Override
    public synchronized SubjectKey currentKey(String subject) {
        check(subject);
        List<SubjectKey> of = keys.get(subject);
        return of == null || of.isEmpty() ? rotate(subject) : of.get(of.size() - 1);
    }

    @Override
    public synchronized Optional<SubjectKey> find(String subject, UUID keyId) {
        check(subject);
        return keys.getOrDefault(subject, List.of()).stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    @Override
    public synchronized SubjectKey rotate(String subject) {
        check(subject);
        Instant now = clock.instant();
        SubjectKey key = new SubjectKey(UUID.randomUUID(), subject, newKey(), now);
        keys.computeIfAbsent(subject, s -> new ArrayList<>()).add(key);
        return key;
    }

    @Override
    public synchronized int forget(String subject) {
        check(subject);
        List<SubjectKey> removed = keys.remove(subject);
        forgotten.put(subject, clock.instant());
        return removed == null ? 0 : removed.size();
    }

    @Override
    public synchronized int keyCount(String subject) {
        check(subject);
        return keys.getOrDefault(subject, List.of()).size();
    }

    @Override
    public synchronized Optional<Instant> forgottenAt(String subject) {
        check(subject);
        return Optional.ofNullable(forgotten.get(subject));
    }
}
