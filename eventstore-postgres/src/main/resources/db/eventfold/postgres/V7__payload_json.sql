-- Version 7: two changes to the events table that make reads cheaper, in one rewrite of the table
-- (docs/adr/0004-payload-column-json.md):
--
-- * payload is json, the validated UTF-8 text exactly as appended, instead of jsonb. A jsonb payload is re-printed
--   from its binary form on every read (about a quarter of the server's time in a 1,000-event stream read) and parsed
--   into that form on every append; json is checked on the way in and sent as stored. Metadata stays jsonb: it is
--   small and is what people search (correlation ids).
-- * schema_version is the payload's schema version header (metadata.headers.schemaVersion), kept by the database in a
--   stored generated column, so the folding read gets it as a plain column instead of taking jsonb apart per row.
--
-- The append functions take json payloads from now on; R__append_events.sql, which Flyway applies after this, creates
-- them and keeps the jsonb signatures of version 6 as wrappers, so a library of version 6 keeps working on this
-- schema during a rolling deploy. The rewrite holds an ACCESS EXCLUSIVE lock on events for its duration: on a large
-- log, run it in a maintenance window (docs/postgres.md, "Upgrading").
ALTER TABLE ${schema}.events
    ALTER COLUMN payload TYPE json USING payload::json,
    ADD COLUMN schema_version text GENERATED ALWAYS AS (metadata -> 'headers' ->> 'schemaVersion') STORED;

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 7;
