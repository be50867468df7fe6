package dev.eventfold.eventstore.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over one JSON value. The envelope that replaces the value is
 * {@code {"$pd": {"v": 1, "k": keyId, "s": subject, "n": nonce, "c": ciphertext}}} (nonce and ciphertext in base64);
 * the associated data binds it to its subject, key, event type and field, so a ciphertext moved elsewhere is refused.
 */
final class FieldCipher {

    static final String ENVELOPE = "$pd";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FieldCipher() {
    }

    static boolean isEnvelope(JsonNode node) {
        return node != null && node.isObject() && node.size() == 1 && node.has(ENVELOPE)
                && node.get(ENVELOPE).isObject();
    }

    private static byte[] associatedData(String subject, UUID keyId, String eventType, String field) {
        return ("eventfold-pd/v1|" + subject + "|" + keyId + "|" + eventType + "|" + field)
                .getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode encrypt(JsonNode value, SubjectKey key, String eventType, String field) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS,
                    nonce));
            cipher.updateAAD(associatedData(key.subject(), key.keyId(), eventType, field));
            byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(value));
            ObjectNode envelope = JSON.createObjectNode();
            envelope.putObject(ENVELOPE).put("v", 1).put("k", key.keyId().toString()).put("s", key.subject())
                    .put("n", Base64.getEncoder().encodeToString(nonce))
                    .put("c", Base64.getEncoder().encodeToString(sealed));
            return envelope;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @param subject the subject the event names: a ciphertext made for another one is refused
     * @return the plaintext value, or empty if its key is gone (the subject was forgotten)
     * @throws PersonalDataException if it was made for another subject, or its key exists but it does not open
     */
    static Optional<JsonNode> decrypt(JsonNode envelope, String subject, String eventType, String field,
            String where, BiFunction<String, UUID, Optional<SubjectKey>> keys) {
        JsonNode sealed = envelope.get(ENVELOPE);
        if (!subject.equals(sealed.path("s").asText())) {
            throw new PersonalDataException(where, new IllegalArgumentException("made for another subject"));
        }
        UUID keyId;
        try {
            keyId = UUID.fromString(sealed.path("k").asText());
        } catch (IllegalArgumentException e) {
            throw new PersonalDataException(where, e);
        }
        Optional<SubjectKey> key = keys.apply(subject, keyId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.get().key(), "AES"), new GCMParameterSpec(
                    TAG_BITS, Base64.getDecoder().decode(sealed.path("n").asText())));
            cipher.updateAAD(associatedData(subject, keyId, eventType, field));
            byte[] plain = cipher.doFinal(Base64.getDecoder().decode(sealed.path("c").asText()));
            return Optional.of(JSON.readTree(plain));
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            throw new PersonalDataException(where, e);
        }
    }
}
