-- Version 5: append_events no longer checks idempotency on every call; the unique index on event_id does, and the
-- new append_retry function (in R__append_events.sql, which Flyway applies after this) answers retries and duplicates.
-- Libraries that call append_retry need this version.
CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 5;
