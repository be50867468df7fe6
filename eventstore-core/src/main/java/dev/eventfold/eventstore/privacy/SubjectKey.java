package dev.eventfold.eventstore.privacy;

import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A data subject's AES-256 data key. Immutable: the key bytes are copied in and out.
 *
 * @param keyId the key's id, written into every ciphertext made with it
 * @param subject the data subject's id
 * @param key the 32 key bytes
 * @param createdAt when the key was made (the newest of a subject's keys encrypts)
 */
public record SubjectKey(UUID keyId, String subject, byte[] key, Instant createdAt) {

    /** Key length in bytes (AES-256). */
    public static final int LENGTH = 32;

    /**
     * @param keyId the key's id
     * @param subject the data subject's id
     * @param key the 32 key bytes
     * @param createdAt when the key was made
     * @throws InvalidRequestException if a component is null or the key is not 32 bytes
     */
    public SubjectKey {
        if (keyId == null || subject == null || key == null || createdAt == null) {
            throw new InvalidRequestException("subject key components must not be null");
        }
        if (key.length != LENGTH) {
            throw new InvalidRequestException("a subject key has " + LENGTH + " bytes, was " + key.length);
        }
        key = key.clone();
    }

    /** @return a copy of the 32 key bytes */
    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectKey that && keyId.equals(that.keyId) && subject.equals(that.subject)
                && Arrays.equals(key, that.key) && createdAt.equals(that.createdAt);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    /** @return the ids and time, never the key bytes */
    @Override
    public String toString() {
        return "SubjectKey[" + keyId + " of " + subject + ", " + createdAt + "]";
    }
}
