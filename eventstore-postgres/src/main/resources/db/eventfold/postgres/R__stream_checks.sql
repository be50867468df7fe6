-- The rules every writer of a stream applies, defined once (docs/adr/0007-one-append-rule.md): the functions
-- (append_events, append_retry, tombstone_stream, soft_delete_stream, restore_stream, the retention job), the
-- single-event statements in append-one.sql and the bulk import call these instead of writing the rules out.

-- The key of a stream's advisory lock. Every writer of a stream takes pg_advisory_xact_lock(stream_lock_key(id))
-- before it writes anything, so writes to one stream are serialized and get increasing transaction ids (ADR 0002).
-- The same value as hashtextextended(id, 0), which schema versions before 13 wrote out: old and new writers exclude each
-- other during a rolling deploy.
CREATE OR REPLACE FUNCTION ${schema}.stream_lock_key(p_stream_id text)
    RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN hashtextextended(p_stream_id, 0);

-- Whether an expected version holds for a stream whose head is p_actual (-1: no stream). p_mode: 0 any, 1 no stream,
-- 2 stream exists, 3 exactly p_expected. A single expression, so the planner inlines it into the statements that call
-- it.
CREATE OR REPLACE FUNCTION ${schema}.expected_version_holds(p_mode smallint, p_expected bigint, p_actual bigint)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN p_mode = 0
        OR (p_mode = 1 AND p_actual = -1)
        OR (p_mode = 2 AND p_actual >= 0)
        OR (p_mode = 3 AND p_actual = p_expected);

-- The one check every writer of a stream makes after reading its head under the stream's lock: a tombstoned stream
-- raises EV003, a soft-deleted one EV005. DETAIL carries the stream id as JSON, as SqlErrors expects.
CREATE OR REPLACE FUNCTION ${schema}.refuse_deleted_stream(p_stream_id text, p_tombstoned boolean, p_hidden boolean)
    RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF p_tombstoned THEN
        RAISE EXCEPTION USING ERRCODE = 'EV003', MESSAGE = 'stream is tombstoned',
            DETAIL = json_build_object('stream_id', p_stream_id)::text;
    END IF;
    IF p_hidden THEN
        RAISE EXCEPTION USING ERRCODE = 'EV005', MESSAGE = 'stream is soft-deleted',
            DETAIL = json_build_object('stream_id', p_stream_id)::text;
    END IF;
END
$$;
