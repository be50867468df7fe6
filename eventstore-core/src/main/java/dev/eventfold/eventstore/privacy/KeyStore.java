package dev.eventfold.eventstore.privacy;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Where subjects' data keys live. Destroying a subject's keys ({@link #forget}) is what erases its personal data:
 * ciphertexts made with them can no longer be read, wherever copies of them went. Implementations: {@link
 * InMemoryKeyStore} and the PostgreSQL store's {@code PostgresKeyStore}; keys can be kept wrapped by a master key in a
 * KMS through {@link KeyEncryption}.
 *
 * <p>Implementations are thread-safe.
 */
public interface KeyStore {

    /**
     * @param subject a data subject's id
     * @return the subject's newest key, made and stored first if it has none (also after it was forgotten: data
     *     given after an erasure is new data)
     */
    SubjectKey currentKey(String subject);

    /**
     * @param subject a data subject's id
     * @param keyId a key id read from a ciphertext
     * @return the key, or empty if it was destroyed (or never existed)
     */
    Optional<SubjectKey> find(String subject, UUID keyId);

    /**
     * Makes a new key the subject's current one; older keys still decrypt what they encrypted (rotation without
     * rewriting events).
     *
     * @param subject a data subject's id
     * @return the new key
     */
    SubjectKey rotate(String subject);

    /**
     * Destroys every key of the subject and records that it was forgotten. Idempotent: forgetting again destroys
     * only keys made since (data given after the erasure) and moves {@link #forgottenAt} forward.
     *
     * @param subject a data subject's id
     * @return the number of keys destroyed (0 if the subject had none, e.g. it was forgotten before)
     */
    int forget(String subject);

    /**
     * @param subject a data subject's id
     * @return how many keys it has (0 if it never gave data or was forgotten since); makes none
     */
    int keyCount(String subject);

    /**
     * @param subject a data subject's id
     * @return when it was last forgotten, empty if never (an administrator's "already forgotten" versus "unknown")
     */
    Optional<Instant> forgottenAt(String subject);
}
