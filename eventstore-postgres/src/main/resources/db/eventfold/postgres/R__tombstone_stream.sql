-- Deletes a stream for good: it can no longer be read or appended to. Its events stay in the log (append-only).
-- A soft-deleted stream may be tombstoned (the deletion becomes final).
-- Errors as append_events: EV001 wrong expected version, EV003 already tombstoned.
CREATE OR REPLACE FUNCTION ${schema}.tombstone_stream(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint)
    RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_version    bigint;
    v_tombstoned boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(${schema}.stream_lock_key(p_stream_id));
    INSERT INTO ${schema}.streams (stream_id, version) VALUES (p_stream_id, -1) ON CONFLICT DO NOTHING;
    SELECT s.version, s.tombstoned INTO v_version, v_tombstoned
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, false);
    IF NOT ${schema}.expected_version_holds(p_expected_mode, p_expected_version, v_version) THEN
        RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version',
            DETAIL = json_build_object('actual', v_version)::text;
    END IF;
    UPDATE ${schema}.streams s SET tombstoned = true, soft_deleted = false WHERE s.stream_id = p_stream_id;
END
$$;

-- Hides an existing stream until restore_stream: reads and appends raise EV005; its events stay.
-- Errors: EV001 wrong expected version (actual -1 when the stream does not exist), EV003 tombstoned, EV005 already
-- soft-deleted.
CREATE OR REPLACE FUNCTION ${schema}.soft_delete_stream(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint)
    RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_version    bigint;
    v_tombstoned boolean;
    v_hidden     boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(${schema}.stream_lock_key(p_stream_id));
    SELECT s.version, s.tombstoned, s.soft_deleted INTO v_version, v_tombstoned, v_hidden
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    IF NOT FOUND THEN
        v_version := -1;
    END IF;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, v_hidden);
    -- Only an existing stream can be hidden: no expected version holds for an absent one here.
    IF v_version < 0 OR NOT ${schema}.expected_version_holds(p_expected_mode, p_expected_version, v_version) THEN
        RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version',
            DETAIL = json_build_object('actual', v_version)::text;
    END IF;
    UPDATE ${schema}.streams s SET soft_deleted = true WHERE s.stream_id = p_stream_id;
END
$$;

-- Makes a soft-deleted stream readable and writable again. Errors: EV003 tombstoned, EV006 not soft-deleted.
CREATE OR REPLACE FUNCTION ${schema}.restore_stream(p_stream_id text)
    RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_tombstoned boolean;
    v_hidden     boolean;
BEGIN
    PERFORM pg_advisory_xact_lock(${schema}.stream_lock_key(p_stream_id));
    SELECT s.tombstoned, s.soft_deleted INTO v_tombstoned, v_hidden
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, false);
    IF v_hidden IS NOT TRUE THEN  -- NULL: no such stream
        RAISE EXCEPTION USING ERRCODE = 'EV006', MESSAGE = 'stream is not soft-deleted',
            DETAIL = json_build_object('stream_id', p_stream_id)::text;
    END IF;
    UPDATE ${schema}.streams s SET soft_deleted = false WHERE s.stream_id = p_stream_id;
END
$$;
