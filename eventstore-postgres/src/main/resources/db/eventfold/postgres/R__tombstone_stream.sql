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
    PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
    INSERT INTO ${schema}.streams (stream_id, version) VALUES (p_stream_id, -1) ON CONFLICT DO NOTHING;
    SELECT s.version, s.tombstoned INTO v_version, v_tombstoned
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, false);
    IF NOT (p_expected_mode = 0
            OR (p_expected_mode = 1 AND v_version = -1)
            OR (p_expected_mode = 2 AND v_version >= 0)
            OR (p_expected_mode = 3 AND v_version = p_expected_version)) THEN
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
    PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
    SELECT s.version, s.tombstoned, s.soft_deleted INTO v_version, v_tombstoned, v_hidden
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    IF NOT FOUND THEN
        v_version := -1;
    END IF;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, v_hidden);
    IF v_version < 0 OR NOT (p_expected_mode = 0
            OR (p_expected_mode = 2 AND v_version >= 0)
            OR (p_expected_mode = 3 AND v_version = p_expected_version)) THEN
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
    PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
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
