package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.privacy.KeyEncryption;
import dev.eventfold.eventstore.privacy.PersonalDataPolicy;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.privacy.SubjectKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Crypto-shredding on PostgreSQL: no table holds the plaintext, and forgetting destroys the keys' rows. */
class PostgresPersonalDataTest {

    private static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
            .event("OrderPlaced", "/customerId", "/customer")
            .build();
    private static final List<String> ADA = List.of("Ada Lovelace", "ada@example.org", "12 Analytical St");

    /** A stand-in for a KMS: wraps data keys with a master key it keeps, and counts its calls. */
    static final class CountingKms implements KeyEncryption {
        final AtomicInteger wraps = new AtomicInteger();
        final AtomicInteger unwraps = new AtomicInteger();
        private final byte[] master = new byte[32];

        CountingKms() {
            new SecureRandom().nextBytes(master);
        }

        @Override
        public byte[] wrap(byte[] dataKey, String subject) {
            wraps.incrementAndGet();
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, subject).apply(dataKey);
            byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return out;
        }

        @Override
        public byte[] unwrap(byte[] wrapped, String subject) {
            unwraps.incrementAndGet();
            return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, 12), subject)
                    .apply(Arrays.copyOfRange(wrapped, 12, wrapped.length));
        }

        private java.util.function.UnaryOperator<byte[]> cipher(int mode, byte[] nonce, String subject) {
            return bytes -> {
                try {
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                    cipher.init(mode, new SecretKeySpec(master, "AES"), new GCMParameterSpec(128, nonce));
                    cipher.updateAAD(subject.getBytes(StandardCharsets.UTF_8)); // the KMS encryption context
                    return cipher.doFinal(bytes);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore raw;
    private final CountingKms kms = new CountingKms();
    private PostgresKeyStore keys;
    private PersonalDataProtection protection;
    private EventStore store;

    @BeforeEach
    void start() {
        pool = TestDatabase.pool(4);
        schema = TestDatabase.newSchema(pool);
        raw = PostgresEventStore.builder(pool).schema(schema).build();
        keys = PostgresKeyStore.create(pool, schema, kms);
        protection = PersonalDataProtection.create(POLICY, keys, Duration.ofMinutes(1));
        store = protection.protect(raw);
    }

    @AfterEach
    void stop() {
        raw.close();
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    private static EventData placed(String customerId, String name, String email, String street) {
        return EventData.of("OrderPlaced", "{\"orderId\":\"o\",\"customerId\":\"" + customerId + "\",\"total\":7,"
                + "\"customer\":{\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"shippingAddress\":"
                + "{\"street\":\"" + street + "\",\"city\":\"London\"}}}");
    }

    /** @return every "table: row" of the schema whose text contains one of the strings */
    private List<String> rowsContaining(List<String> needles) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = pool.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement list = connection.prepareStatement("SELECT table_name FROM information_schema"
                    + ".tables WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
                list.setString(1, schema);
                try (ResultSet rs = list.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            assertThat(tables).contains("events", "snapshots", "personal_data_keys", "projection_dead_letters");
            for (String table : tables) {
                try (PreparedStatement rows = connection.prepareStatement("SELECT t::text FROM " + schema + "."
                        + table + " t"); ResultSet rs = rows.executeQuery()) {
                    while (rs.next()) {
                        String row = rs.getString(1);
                        if (needles.stream().anyMatch(row::contains)) {
                            found.add(table + ": " + row);
                        }
                    }
                }
            }
        }
        return found;
    }

    private long keyRows(String subject) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement count = connection.prepareStatement(
                "SELECT count(*) FROM " + schema + ".personal_data_keys WHERE subject = ?")) {
            count.setString(1, subject);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void no_table_holds_the_plaintext_and_forgetting_destroys_the_keys_and_redacts_every_read() throws Exception {
        store.append("order-1", ExpectedVersion.noStream(), placed("c-1", ADA.get(0), ADA.get(1), ADA.get(2)));
        store.append("order-2", ExpectedVersion.noStream(), placed("c-2", "Bob Byron", "bob@example.org", "1 Rd"));
        store.append("order-3", ExpectedVersion.noStream(), placed("c-1", ADA.get(0), ADA.get(1), ADA.get(2)));

        assertThat(rowsContaining(ADA)).as("plaintext anywhere in the schema").isEmpty();
        assertThat(store.readStreamForward("order-1").get(0).payload().asString()).contains(ADA);
        SubjectKey key = keys.currentKey("c-1");
        try (Connection connection = pool.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT wrapped_key FROM " + schema + ".personal_data_keys WHERE key_id = ?")) {
            select.setObject(1, key.keyId());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getBytes(1)).as("the key is stored wrapped by the KMS").isNotEqualTo(key.key());
            }
        }
        int unwrapsBefore = kms.unwraps.get();
        for (int i = 0; i < 20; i++) {
            store.readStreamForward("order-3");
        }
        assertThat(kms.unwraps.get() - unwrapsBefore).as("found keys are cached").isLessThanOrEqualTo(1);

        assertThat(protection.forgottenAt("c-1")).as("never forgotten yet").isEmpty();
        assertThat(protection.keyCount("c-1")).isEqualTo(1);
        assertThat(protection.keyCount("c-unknown")).isZero();
        assertThat(protection.forget("c-1").keysDestroyed()).isEqualTo(1);

        assertThat(keyRows("c-1")).isZero();
        assertThat(protection.keyCount("c-1")).isZero();
        java.time.Instant forgottenAt = protection.forgottenAt("c-1").orElseThrow();
        assertThat(forgottenAt).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        assertThat(protection.forgottenAt("c-2")).isEmpty();
        assertThat(keyRows("c-2")).isEqualTo(1);
        for (String stream : List.of("order-1", "order-3")) {
            String read = store.readStreamForward(stream).get(0).payload().asString();
            assertThat(read).doesNotContain(ADA).contains("\"customer\":null", "\"customerId\":\"c-1\"",
                    "\"total\":7");
            assertThat(store.readAll(dev.eventfold.eventstore.LogPosition.START)).hasSize(3);
        }
        assertThat(store.readStreamForward("order-2").get(0).payload().asString()).contains("Bob Byron");
        assertThat(protection.forget("c-1").keysDestroyed()).as("idempotent").isZero();
        assertThat(protection.forgottenAt("c-1").orElseThrow()).as("the latest erasure").isAfterOrEqualTo(forgottenAt);
        assertThat(rowsContaining(ADA)).isEmpty();
    }
}
