-- Version 6: append_event, the single-event append without arrays (in R__append_events.sql, which Flyway applies
-- after this). Libraries that call it need this version.
CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 6;
