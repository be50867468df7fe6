-- Data keys for crypto-shredding (PostgresKeyStore, docs/compliance.md): one row per key, several per subject after
-- rotations; the newest (highest seq) encrypts. Forgetting a subject deletes its rows. wrapped_key is the data key as
-- the configured KeyEncryption returned it (the plain key with KeyEncryption.none(), or wrapped by a KMS master key).
-- Not append-only, unlike events: destroying keys is the point.
CREATE TABLE ${schema}.personal_data_keys (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_id      uuid        NOT NULL UNIQUE,
    subject     text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 256),
    wrapped_key bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX personal_data_keys_subject ON ${schema}.personal_data_keys (subject, seq);

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 9;
