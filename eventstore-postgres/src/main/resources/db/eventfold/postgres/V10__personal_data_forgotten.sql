-- Which subjects were forgotten, and when (PostgresKeyStore.forget, docs/compliance.md): lets an administrator tell
-- "already forgotten" from "never known", and holds no personal data beyond the subject's id, which the events keep
-- in plaintext anyway. A subject that gives data again after being forgotten gets new keys; its row stays.
CREATE TABLE ${schema}.personal_data_forgotten (
    subject        text        PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 256),
    forgotten_at   timestamptz NOT NULL,
    keys_destroyed integer     NOT NULL CHECK (keys_destroyed >= 0)
);

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 10;
