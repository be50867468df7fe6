package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.privacy.KeyEncryption;
import dev.eventfold.eventstore.privacy.KeyStore;
import dev.eventfold.eventstore.privacy.SubjectKey;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Subjects' data keys in the {@code personal_data_keys} table of the store's schema (migration V9), optionally wrapped
 * by a master key through {@link KeyEncryption} (e.g. a KMS). {@link #forget} deletes the subject's rows and records the
 * erasure in {@code personal_data_forgotten} (V10), in one transaction; see
 * {@code docs/compliance.md} for what that means for dead tuples, WAL and backups. Thread-safe.
 */
public final class PostgresKeyStore implements KeyStore {

    /** The schema version that has the keys table. */
    static final int SCHEMA_VERSION = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final String schema;
    private final KeyEncryption encryption;

    private PostgresKeyStore(DataSource dataSource, String schema, KeyEncryption encryption) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.encryption = encryption;
    }

    /**
     * @param dataSource the pool
     * @param schema the store's schema, migrated to version 10 or later
     * @param encryption how keys are wrapped at rest ({@link KeyEncryption#none()} to rely on the database's own)
     * @return the key store
     * @throws InvalidRequestException if an argument is null
     * @throws EventStoreUnavailableException if the schema is older than version 10 or cannot be reached
     */
    public static PostgresKeyStore create(DataSource dataSource, String schema, KeyEncryption encryption) {
        if (dataSource == null || schema == null || encryption == null) {
            throw new InvalidRequestException("dataSource, schema and encryption must not be null");
        }
        SchemaCheck.check(dataSource, schema, SCHEMA_VERSION);
        return new PostgresKeyStore(dataSource, schema, encryption);
    }

    private static void check(String subject) {
        if (subject == null || subject.isBlank() || subject.length() > 256) {
            throw new InvalidRequestException("subject must be 1 to 256 characters");
        }
    }

    @Override
    public SubjectKey currentKey(String subject) {
        check(subject);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT key_id, wrapped_key, created_at FROM "
                        + schema + ".personal_data_keys WHERE subject = ? ORDER BY seq DESC LIMIT 1")) {
            select.setString(1, subject);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    return key(subject, rs);
                }
            }
        } catch (SQLException e) {
            throw unavailable("read the key of a subject", e);
        }
        return rotate(subject);
    }

    @Override
    public Optional<SubjectKey> find(String subject, UUID keyId) {
        check(subject);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT key_id, wrapped_key, created_at FROM "
                        + schema + ".personal_data_keys WHERE key_id = ? AND subject = ?")) {
            select.setObject(1, keyId);
            select.setString(2, subject);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(key(subject, rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("find a key", e);
        }
    }

    private SubjectKey key(String subject, ResultSet rs) throws SQLException {
        return new SubjectKey(rs.getObject(1, UUID.class), subject, encryption.unwrap(rs.getBytes(2), subject),
                rs.getTimestamp(3).toInstant());
    }

    @Override
    public SubjectKey rotate(String subject) {
        check(subject);
        byte[] key = new byte[SubjectKey.LENGTH];
        RANDOM.nextBytes(key);
        UUID keyId = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema
                        + ".personal_data_keys (key_id, subject, wrapped_key) VALUES (?, ?, ?) RETURNING created_at")) {
            insert.setObject(1, keyId);
            insert.setString(2, subject);
            insert.setBytes(3, encryption.wrap(key, subject));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new SubjectKey(keyId, subject, key, rs.getTimestamp(1).toInstant());
            }
        } catch (SQLException e) {
            throw unavailable("store a new key", e);
        }
    }

    @Override
    public int forget(String subject) {
        check(subject);
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + schema
                    + ".personal_data_keys WHERE subject = ?");
                    PreparedStatement record = connection.prepareStatement("INSERT INTO " + schema
                            + ".personal_data_forgotten AS f (subject, forgotten_at, keys_destroyed) "
                            + "VALUES (?, clock_timestamp(), ?) ON CONFLICT (subject) DO UPDATE SET "
                            + "forgotten_at = excluded.forgotten_at, "
                            + "keys_destroyed = f.keys_destroyed + excluded.keys_destroyed")) {
                delete.setString(1, subject);
                int destroyed = delete.executeUpdate();
                record.setString(1, subject);
                record.setInt(2, destroyed);
                record.executeUpdate();
                connection.commit();
                return destroyed;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw unavailable("destroy the keys of a subject", e);
        }
    }

    @Override
    public int keyCount(String subject) {
        check(subject);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + schema
                        + ".personal_data_keys WHERE subject = ?")) {
            select.setString(1, subject);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw unavailable("count the keys of a subject", e);
        }
    }

    @Override
    public Optional<Instant> forgottenAt(String subject) {
        check(subject);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT forgotten_at FROM " + schema
                        + ".personal_data_forgotten WHERE subject = ?")) {
            select.setString(1, subject);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable("read when a subject was forgotten", e);
        }
    }

    private EventStoreUnavailableException unavailable(String what, SQLException e) {
        return new EventStoreUnavailableException("could not " + what + " in schema '" + schema + "' (SQL state "
                + e.getSQLState() + ")", e);
    }

    @Override
    public String toString() {
        return "PostgresKeyStore[" + schema + ", " + encryption + "]";
    }
}
