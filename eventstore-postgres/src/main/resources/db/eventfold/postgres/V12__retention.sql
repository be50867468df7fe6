-- Retention (RetentionStore, docs/compliance.md): old events may leave the log, but only through remove_events
-- (R__retention.sql), which copies them here first, in the same transaction, with who removed them and why. This
-- table is append-only like the log (a person restores from it by re-appending elsewhere; see docs/compliance.md).
CREATE TABLE ${schema}.events_archive (
    global_position bigint      NOT NULL,
    transaction_id  xid8        NOT NULL,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         json        NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    removed_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    removed_by      text        NOT NULL,
    removal_reason  text        NOT NULL,
    CONSTRAINT events_archive_pkey PRIMARY KEY (global_position)
);
CREATE INDEX events_archive_stream_idx ON ${schema}.events_archive (stream_id, stream_version);

CREATE FUNCTION ${schema}.reject_archive_changes() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'EV004',
        MESSAGE = format('the events archive is append-only: %s is not allowed', TG_OP);
END
$$;

CREATE TRIGGER events_archive_append_only_rows
    BEFORE UPDATE OR DELETE ON ${schema}.events_archive
    FOR EACH ROW EXECUTE FUNCTION ${schema}.reject_archive_changes();

CREATE TRIGGER events_archive_append_only_truncate
    BEFORE TRUNCATE ON ${schema}.events_archive
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.reject_archive_changes();

-- The log's trigger lets a DELETE through only while remove_events has raised its transaction-local flag; UPDATE and
-- TRUNCATE stay refused for everyone. Without the DELETE privilege (docs/postgres.md's grants), a role cannot raise
-- the flag and delete on its own: it can only call remove_events, which runs as the schema's owner.
CREATE OR REPLACE FUNCTION ${schema}.reject_event_changes() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('eventfold.removing', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'EV004',
        MESSAGE = format('the events table is append-only: %s is not allowed', TG_OP),
        HINT = 'old events leave only through remove_events (retention), which archives them';
END
$$;

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 12;
