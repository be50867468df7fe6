package dev.eventfold.eventstore.privacy;

/**
 * Wraps data keys before a {@link KeyStore} stores them and unwraps them after it reads them (envelope encryption):
 * with a KMS, {@code wrap} is its {@code Encrypt} (or {@code GenerateDataKey}) and {@code unwrap} its {@code Decrypt}
 * under a master key that never leaves it. {@code docs/compliance.md} shows an AWS KMS adapter.
 *
 * <p>Implementations are thread-safe.
 */
public interface KeyEncryption {

    /**
     * @param dataKey a data key
     * @param subject the subject it belongs to (a KMS encryption context binds the wrapped key to it)
     * @return the wrapped key
     */
    byte[] wrap(byte[] dataKey, String subject);

    /**
     * @param wrapped a key {@link #wrap} returned
     * @param subject the subject it was wrapped for
     * @return the data key
     */
    byte[] unwrap(byte[] wrapped, String subject);

    /** @return keys stored as they are (the database's own encryption at rest protects them) */
    static KeyEncryption none() {
        return new KeyEncryption() {
            @Override
            public byte[] wrap(byte[] dataKey, String subject) {
                return dataKey.clone();
            }

            @Override
            public byte[] unwrap(byte[] wrapped, String subject) {
                return wrapped.clone();
            }

            @Override
            public String toString() {
                return "KeyEncryption.none()";
            }
        };
    }
}
