-- The append: append_events is the one function that appends events to a stream, whatever their number and expected
-- version. It locks the stream, checks the expected version, inserts the batch with unnest, bumps the stream's
-- version, and (only if p_channel is not null) notifies listeners. The rules it applies (lock key, expected version,
-- deleted streams) are defined once in R__stream_checks.sql; the single-event statements in append-one.sql apply the
-- same ones for the plain success and leave every other answer to this function (docs/adr/0007-one-append-rule.md).
--
-- The hot path carries no idempotency query: the unique index on event_id is the check. When it fires (SQLSTATE 23505
-- on events_event_id_key) the caller asks append_retry, in a new transaction, whether the batch is an exact retry of
-- an earlier append (then it gets that append's rows back), a duplicate (EV002), or neither (then it appends again).
-- A retry that finds its stream moved on past the expected version is answered by append_retry here too, so an exact
-- retry never reports a version conflict.
--
-- p_expected_mode: 0 any, 1 no stream, 2 stream exists, 3 exactly p_expected_version.
-- Errors (SQLSTATE, DETAIL is a JSON object):
--   EV001 wrong expected version   {"actual": n}           (-1 = no stream)
--   EV002 duplicate event id       {"event_id", "stored_stream_id", "stored_version", "reason"}
--   EV003 stream is tombstoned     {"stream_id"}
--   EV005 stream is soft-deleted   {"stream_id"}
--   23505 on events_event_id_key   an event id is stored already: call append_retry
--
-- Every statement here is an equality lookup on a primary key or an insert, so the generic plans plpgsql caches are
-- the right plans at any table size; append_retry, which joins id arrays against the log, plans each call.

-- The idempotency check (DESIGN §4) of a batch whose event ids are (partly) stored: returns the stored rows in batch
-- order if the batch is an exact retry (same ids, same place, same content); raises EV002 if it is not; returns no
-- rows if none of the ids is stored. Reads only.
CREATE OR REPLACE FUNCTION ${schema}.append_retry(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_ids        uuid[],
    p_types            text[],
    p_payloads         json[],
    p_metadata         jsonb[])
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE plpgsql
    -- Plan with the actual arrays: a generic plan cannot tell how many ids p_event_ids holds and may choose a
    -- sequential scan of the log for the join (found by the benchmarks). This function runs only on the rare path.
    SET plan_cache_mode = force_custom_plan
    AS $$
#variable_conflict use_column
DECLARE
    v_count      integer := cardinality(p_event_ids);
    v_head       bigint;
    v_found      integer;
    v_first      record;
    v_stored     record;
BEGIN
    SELECT count(*) INTO v_found FROM unnest(p_event_ids) AS u(id) JOIN ${schema}.events e ON e.event_id = u.id;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    SELECT e.event_id, e.stream_id, e.stream_version INTO v_first
      FROM ${schema}.events e
      JOIN unnest(p_event_ids) WITH ORDINALITY AS u(id, ord) ON e.event_id = u.id
     ORDER BY u.ord LIMIT 1;
    IF v_found < v_count THEN
        RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = 'duplicate event id',
            DETAIL = json_build_object('event_id', v_first.event_id, 'stored_stream_id', v_first.stream_id,
                'stored_version', v_first.stream_version, 'reason',
                format('only %s of the %s events are stored, so this is not a retry', v_found, v_count))::text;
    END IF;
    FOR i IN 1 .. v_count LOOP
        SELECT e.stream_id, e.stream_version, e.event_type, e.payload, e.metadata INTO v_stored
          FROM ${schema}.events e WHERE e.event_id = p_event_ids[i];
        IF i = 1 THEN
            v_head := v_stored.stream_version;
            -- The original append found the stream at v_head - 1: its expectation must hold there.
            IF v_stored.stream_id <> p_stream_id
               OR NOT ${schema}.expected_version_holds(p_expected_mode, p_expected_version, v_head - 1) THEN
                RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = 'duplicate event id',
                    DETAIL = json_build_object('event_id', p_event_ids[i], 'stored_stream_id', v_stored.stream_id,
                        'stored_version', v_stored.stream_version, 'reason',
                        'stored at another place than the expected version names')::text;
            END IF;
        ELSIF v_stored.stream_id <> p_stream_id OR v_stored.stream_version <> v_head + i - 1 THEN
            RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = 'duplicate event id',
                DETAIL = json_build_object('event_id', p_event_ids[i], 'stored_stream_id', v_stored.stream_id,
                    'stored_version', v_stored.stream_version, 'reason',
                    'stored at another place than in the original append')::text;
        END IF;
        -- Same content means equal as JSON (jsonb equality: white space and key order do not count), not equal bytes.
        IF v_stored.event_type <> p_types[i] OR v_stored.payload::jsonb <> p_payloads[i]::jsonb
           OR v_stored.metadata <> p_metadata[i] THEN
            RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = 'duplicate event id',
                DETAIL = json_build_object('event_id', p_event_ids[i], 'stored_stream_id', v_stored.stream_id,
                    'stored_version', v_stored.stream_version, 'reason', 'different content')::text;
        END IF;
    END LOOP;
    RETURN QUERY
        SELECT e.stream_version, e.global_position, e.transaction_id
          FROM ${schema}.events e
          JOIN unnest(p_event_ids) WITH ORDINALITY AS u(id, ord) ON e.event_id = u.id
         ORDER BY u.ord;
END
$$;

CREATE OR REPLACE FUNCTION ${schema}.append_events(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_ids        uuid[],
    p_types            text[],
    p_payloads         json[],
    p_metadata         jsonb[],
    p_channel          text)
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
    v_count      integer := cardinality(p_event_ids);
    v_version    bigint;
    v_tombstoned boolean;
    v_hidden     boolean;
    v_exists     boolean;
BEGIN
    -- Serialize appends to this stream before the transaction writes anything: an advisory lock assigns no
    -- transaction id, so whoever takes it next gets a larger xid than the writer before it, and a stream's events
    -- keep version order in the (transaction_id, global_position) order of the log (docs/adr/0002-gap-safety.md).
    -- Every writer of a stream's row (this function, tombstone_stream) takes this lock first, so the row needs no
    -- row lock of its own: the next statement's snapshot already sees the previous holder's commit.
    PERFORM pg_advisory_xact_lock(${schema}.stream_lock_key(p_stream_id));
    SELECT s.version, s.tombstoned, s.soft_deleted INTO v_version, v_tombstoned, v_hidden
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id;
    v_exists := FOUND;
    IF NOT v_exists THEN
        v_version := -1;
        v_tombstoned := false;
        v_hidden := false;
    END IF;
    PERFORM ${schema}.refuse_deleted_stream(p_stream_id, v_tombstoned, v_hidden);

    IF NOT ${schema}.expected_version_holds(p_expected_mode, p_expected_version, v_version) THEN
        -- A retry of an append that did commit finds the stream moved on: answer it with the original rows.
        RETURN QUERY SELECT * FROM ${schema}.append_retry(p_stream_id, p_expected_mode, p_expected_version,
            p_event_ids, p_types, p_payloads, p_metadata);
        IF FOUND THEN
            RETURN;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version',
            DETAIL = json_build_object('actual', v_version)::text;
    END IF;

    RETURN QUERY
        WITH inserted AS (
            INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, payload, metadata)
            SELECT p_stream_id, v_version + u.ord, u.id, u.t, u.p, u.m
              FROM unnest(p_event_ids, p_types, p_payloads, p_metadata) WITH ORDINALITY AS u(id, t, p, m, ord)
             ORDER BY u.ord
            RETURNING events.stream_version, events.global_position, events.transaction_id)
        SELECT i.stream_version, i.global_position, i.transaction_id FROM inserted i ORDER BY i.stream_version;

    IF v_exists THEN
        UPDATE ${schema}.streams s SET version = v_version + v_count WHERE s.stream_id = p_stream_id;
    ELSE
        INSERT INTO ${schema}.streams (stream_id, version) VALUES (p_stream_id, v_version + v_count);
    END IF;

    IF p_channel IS NOT NULL THEN
        PERFORM pg_notify(p_channel, '');
    END IF;
END
$$;

-- The single-event signature of schema versions 6 to 12, whose library called it when its plain statement returned no
-- row; during a rolling deploy that library still does. A thin delegation to append_events since version 13.
CREATE OR REPLACE FUNCTION ${schema}.append_event(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_id         uuid,
    p_type             text,
    p_payload          json,
    p_metadata         jsonb)
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE sql
    AS $$
SELECT * FROM ${schema}.append_events(p_stream_id, p_expected_mode, p_expected_version, ARRAY[p_event_id],
    ARRAY[p_type], ARRAY[p_payload], ARRAY[p_metadata], NULL::text)
$$;

-- The signatures of schema version 6, which took jsonb payloads: a library of version 6 calls these during a rolling
-- deploy to version 7. They convert the payloads and call the functions above. A later version may drop them.
CREATE OR REPLACE FUNCTION ${schema}.append_events(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_ids        uuid[],
    p_types            text[],
    p_payloads         jsonb[],
    p_metadata         jsonb[],
    p_channel          text)
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE sql
    AS $$
SELECT * FROM ${schema}.append_events(p_stream_id, p_expected_mode, p_expected_version, p_event_ids, p_types,
    p_payloads::json[], p_metadata, p_channel)
$$;

CREATE OR REPLACE FUNCTION ${schema}.append_event(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_id         uuid,
    p_type             text,
    p_payload          jsonb,
    p_metadata         jsonb)
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE sql
    AS $$
SELECT * FROM ${schema}.append_event(p_stream_id, p_expected_mode, p_expected_version, p_event_id, p_type,
    p_payload::json, p_metadata)
$$;

CREATE OR REPLACE FUNCTION ${schema}.append_retry(
    p_stream_id        text,
    p_expected_mode    smallint,
    p_expected_version bigint,
    p_event_ids        uuid[],
    p_types            text[],
    p_payloads         jsonb[],
    p_metadata         jsonb[])
    RETURNS TABLE (stream_version bigint, global_position bigint, transaction_id xid8)
    LANGUAGE sql
    AS $$
SELECT * FROM ${schema}.append_retry(p_stream_id, p_expected_mode, p_expected_version, p_event_ids, p_types,
    p_payloads::json[], p_metadata)
$$;
