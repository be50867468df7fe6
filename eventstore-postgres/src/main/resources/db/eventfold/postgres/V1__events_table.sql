-- The event log. Append-only: see V2 for the trigger that rejects UPDATE, DELETE and TRUNCATE.
-- global_position is allocated when the row is inserted; transaction_id is the writing transaction's xid8, which
-- readers of the log use for gap safety (docs/adr/0002-gap-safety.md).

-- The one definition of a stream's category: the stream id up to its first '-', or the whole id.
CREATE FUNCTION ${schema}.category(stream_id text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN split_part(stream_id, '-', 1);

CREATE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 1;

CREATE TABLE ${schema}.events (
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (global_position),
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version),
    CONSTRAINT events_event_id_key UNIQUE (event_id),
    CONSTRAINT events_stream_version_check CHECK (stream_version >= 0)
);

-- One row per stream: its version, and whether it is tombstoned. The append function locks this row, which
-- serializes appends to one stream (and only to that stream) and makes "read version, check, insert" atomic.
CREATE TABLE ${schema}.streams (
    stream_id  text    NOT NULL,
    version    bigint  NOT NULL,
    tombstoned boolean NOT NULL DEFAULT false,
    CONSTRAINT streams_pkey PRIMARY KEY (stream_id)
);
