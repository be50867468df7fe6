-- The latest snapshot of each stream's aggregate state. A cache of the event log, never the truth: rows may be
-- deleted at any time and the state is rebuilt from events. Only ever moves forward (see PostgresSnapshotStore).
CREATE TABLE ${schema}.snapshots (
    stream_id      text        NOT NULL,
    stream_version bigint      NOT NULL,
    schema_version integer     NOT NULL,
    state          jsonb       NOT NULL,
    taken_at       timestamptz NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (stream_id),
    CONSTRAINT snapshots_stream_version_check CHECK (stream_version >= 0),
    CONSTRAINT snapshots_schema_version_check CHECK (schema_version >= 1)
);

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 3;
