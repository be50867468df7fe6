-- Eventfold's single-event append to an existing stream (append-one.sql, "append-to-stream"), exact expected version.
\set exp :seq
\set seq :seq + 1
WITH lock AS (SELECT pg_advisory_xact_lock(ef.stream_lock_key('order-' || :run || '-' || :client_id))),
     head AS (UPDATE ef.streams s SET version = s.version + 1
               WHERE s.stream_id = 'order-' || :run || '-' || :client_id AND ef.expected_version_holds(3::smallint, :exp, s.version)
                 AND NOT s.tombstoned AND NOT s.soft_deleted AND (SELECT true FROM lock)
              RETURNING s.version)
INSERT INTO ef.events (stream_id, stream_version, event_id, event_type, payload, metadata)
SELECT 'order-' || :run || '-' || :client_id, head.version, (lpad(to_hex(:run::bigint),8,'0') || '-' || lpad(to_hex(:client_id::bigint),4,'0') || '-7000-8000-' || lpad(to_hex(:seq::bigint),12,'0'))::uuid, 'ItemQuantityChanged', :p::json, :m::jsonb FROM head
RETURNING stream_version, global_position, transaction_id::text::bigint, true;
