-- A plain insert into variant "idx3" of Eventfold's table (setup.sql).
\set seq :seq + 1
INSERT INTO v.idx3 (stream_id, stream_version, event_id, event_type, payload, metadata) VALUES ('order-' || :run || '-' || :client_id, :seq, (lpad(to_hex(:run::bigint),8,'0') || '-' || lpad(to_hex(:client_id::bigint),4,'0') || '-7000-8000-' || lpad(to_hex(:seq::bigint),12,'0'))::uuid, 'ItemQuantityChanged', :p::json, :m::jsonb);
