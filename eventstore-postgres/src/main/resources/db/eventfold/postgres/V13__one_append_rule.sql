-- Version 13: one definition of the rules every writer of a stream applies (docs/adr/0007-one-append-rule.md).
-- R__stream_checks.sql, which Flyway applies after this, adds stream_lock_key and expected_version_holds, which the
-- library's single-event statements call; R__append_events.sql makes append_event a delegation to append_events.
-- No table changes: the previous release keeps working on this schema during a rolling deploy (its statements take
-- the same lock, hashtextextended(id, 0), and its append_event calls still append).
CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 13;
