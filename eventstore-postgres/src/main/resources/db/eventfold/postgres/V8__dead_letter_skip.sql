-- An operator can set a dead letter aside for good (DeadLetter.Status.SKIPPED) instead of replaying it.
-- Metadata-only change: the CHECK constraint is swapped without rewriting the table.
ALTER TABLE ${schema}.projection_dead_letters
    DROP CONSTRAINT projection_dead_letters_status_check,
    ADD CONSTRAINT projection_dead_letters_status_check
        CHECK (status IN ('PENDING', 'REPLAY_REQUESTED', 'REPLAYED', 'SKIPPED'));

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 8;
