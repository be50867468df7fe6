-- Soft delete (StreamAdministration.softDelete / restore, docs/compliance.md): a hidden stream can be neither read
-- nor appended to until it is restored; its events stay. Set and cleared only by soft_delete_stream and
-- restore_stream (R__tombstone_stream.sql), under the stream's advisory lock like every other writer of the row.
-- A column with a constant default: no table rewrite, and the previous release's statements keep working.
ALTER TABLE ${schema}.streams ADD COLUMN soft_deleted boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 11;
