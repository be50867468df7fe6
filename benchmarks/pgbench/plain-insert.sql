-- The floor's statement: a plain insert of the same event into Eventfold's table (schema ef, migrated by the library).
\set seq :seq + 1
INSERT INTO ef.events (stream_id, stream_version, event_id, event_type, payload, metadata) VALUES ('order-' || :run || '-' || :client_id, :seq, (lpad(to_hex(:run::bigint),8,'0') || '-' || lpad(to_hex(:client_id::bigint),4,'0') || '-7000-8000-' || lpad(to_hex(:seq::bigint),12,'0'))::uuid, 'ItemQuantityChanged', :p::json, :m::jsonb);
