-- The plain statements of single-event appends (PostgresEventStore's fast path; docs/adr/0007-one-append-rule.md; the
-- last one, for several callers at once, ADR 0008).
-- Loaded by Sql, which replaces ${schema}; each statement runs on its own (autocommit, one round trip).
--
-- They apply the same rules as append_events (R__append_events.sql) and call the same definitions
-- (R__stream_checks.sql): the stream's lock key, what an expected version means, and that a deleted stream takes no
-- events. They only ever append where append_events would append the same event, and otherwise return no row and
-- write nothing; the store then calls append_events, which answers with the typed error or an idempotent retry's
-- rows. So the answer to anything but the plain success has one author.
--
-- The lock is taken in a CTE that the head's UPDATE (or INSERT) filters on, so it is held before the statement writes
-- anything and therefore before the transaction gets its id (ADR 0002). The statement's snapshot is older than the
-- lock, but UPDATE re-checks its filter on the row's latest committed version (READ COMMITTED's re-check of
-- concurrently updated rows), so it can only bump the head its expected version names; a stream created after the
-- snapshot makes the INSERT conflict and return nothing.
--
-- Parameters, the same for the first two: 1 stream id (lock), 2 stream id, 3 expected mode (0 any, 1 no stream,
-- 2 stream exists, 3 exactly), 4 expected version, 5 stream id, 6 event id, 7 type, 8 payload, 9 metadata.
-- Columns: stream_version, global_position, transaction id (bigint), true (a fresh append, not a retry's answer).

-- name: append-to-stream
-- The stream exists: bump its head if the expected version holds for it and the stream is not deleted.
WITH lock AS (SELECT pg_advisory_xact_lock(${schema}.stream_lock_key(?))),
     head AS (UPDATE ${schema}.streams s SET version = s.version + 1
               WHERE s.stream_id = ? AND ${schema}.expected_version_holds(?::smallint, ?, s.version)
                 AND NOT s.tombstoned AND NOT s.soft_deleted AND (SELECT true FROM lock)
              RETURNING s.version)
INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, payload, metadata)
SELECT ?, head.version, ?, ?, ?::json, ?::jsonb FROM head
RETURNING stream_version, global_position, transaction_id::text::bigint, true

-- name: append-to-new-stream
-- The stream does not exist yet (head -1): create its row if the expected version holds for an absent stream.
WITH lock AS (SELECT pg_advisory_xact_lock(${schema}.stream_lock_key(?))),
     head AS (INSERT INTO ${schema}.streams (stream_id, version)
              SELECT ?, 0 WHERE ${schema}.expected_version_holds(?::smallint, ?, -1) AND (SELECT true FROM lock)
              ON CONFLICT DO NOTHING
              RETURNING version)
INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, payload, metadata)
SELECT ?, head.version, ?, ?, ?::json, ?::jsonb FROM head
RETURNING stream_version, global_position, transaction_id::text::bigint, true

-- name: append-to-streams
-- Single-event appends of several callers to distinct streams in one statement (AppendCoalescer, ADR 0008): each
-- row does what the statement above for its mode would do, and a row whose expectation does not hold, whose stream is
-- deleted or (for "any") absent, returns nothing and writes nothing, so its caller asks append_events alone. The
-- streams' locks are all tried (an aggregate, so every one) before the first write gives the transaction its id
-- (ADR 0002); a row whose lock another transaction holds is left out (returns nothing) rather than waited for, so a
-- busy stream does not hold up the statement's other rows and two such statements never wait on each other's locks.
-- A statement that fails fails every row; its callers then append one by one.
-- Parameters: arrays of 1 stream id, 2 expected mode, 3 expected version, 4 event id, 5 type, 6 payload,
-- 7 metadata, one element per caller. Columns: stream id, stream_version, global_position, transaction id (bigint).
WITH input AS MATERIALIZED (
         SELECT * FROM unnest(?::text[], ?::smallint[], ?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::text[])
             AS i(stream_id, mode, expected, event_id, event_type, payload, metadata)),
     locked AS MATERIALIZED (
         SELECT array_agg(k) AS keys
           FROM (SELECT ${schema}.stream_lock_key(stream_id) AS k FROM input) keyed
          WHERE pg_try_advisory_xact_lock(k)),
     mine AS MATERIALIZED (
         SELECT * FROM input WHERE ${schema}.stream_lock_key(stream_id) = ANY ((SELECT keys FROM locked)::bigint[])),
     existing AS (
         UPDATE ${schema}.streams s SET version = s.version + 1
           FROM mine i
          WHERE s.stream_id = i.stream_id AND i.mode <> 1
            AND ${schema}.expected_version_holds(i.mode, i.expected, s.version)
            AND NOT s.tombstoned AND NOT s.soft_deleted
         RETURNING s.stream_id, s.version),
     created AS (
         INSERT INTO ${schema}.streams (stream_id, version)
         SELECT i.stream_id, 0 FROM mine i
          WHERE i.mode = 1 AND ${schema}.expected_version_holds(i.mode, i.expected, -1)
         ON CONFLICT DO NOTHING
         RETURNING stream_id, version)
INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, payload, metadata)
SELECT i.stream_id, h.version, i.event_id, i.event_type, i.payload::json, i.metadata::jsonb
  FROM (SELECT * FROM existing UNION ALL SELECT * FROM created) h JOIN mine i USING (stream_id)
RETURNING stream_id, stream_version, global_position, transaction_id::text::bigint
