-- The streams row's update of an append, alone.
\set exp :seq
\set seq :seq + 1
UPDATE ef.streams s SET version = s.version + 1 WHERE s.stream_id = 'order-' || :run || '-' || :client_id AND ef.expected_version_holds(3::smallint, :exp, s.version) AND NOT s.tombstoned AND NOT s.soft_deleted RETURNING s.version;
