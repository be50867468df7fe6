-- The alternative ADR 0007 weighed: read the streams row (deletion flags) instead of writing it, check that the
-- previous version exists, and let the unique (stream_id, stream_version) index refuse a concurrent writer.
\set exp :seq
\set seq :seq + 1
WITH s AS (SELECT 1 FROM ef.streams s WHERE s.stream_id = 'order-' || :run || '-' || :client_id AND NOT s.tombstoned AND NOT s.soft_deleted),
     prev AS (SELECT 1 FROM ef.events e WHERE e.stream_id = 'order-' || :run || '-' || :client_id AND e.stream_version = :exp)
INSERT INTO ef.events (stream_id, stream_version, event_id, event_type, payload, metadata)
SELECT 'order-' || :run || '-' || :client_id, :seq, (lpad(to_hex(:run::bigint),8,'0') || '-' || lpad(to_hex(:client_id::bigint),4,'0') || '-7000-8000-' || lpad(to_hex(:seq::bigint),12,'0'))::uuid, 'ItemQuantityChanged', :p::json, :m::jsonb
 WHERE EXISTS (SELECT 1 FROM s) AND (:exp::bigint < 0 OR EXISTS (SELECT 1 FROM prev))
RETURNING stream_version, global_position, transaction_id::text::bigint, true;
