-- Projection runners (docs/projections.md): which read-model version queries use, one checkpoint row per projection
-- version (with the fencing token of its current leader), and dead letters.

CREATE TABLE ${schema}.projections (
    projection     text        NOT NULL,
    active_version integer     NOT NULL,
    switched_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projections_pkey PRIMARY KEY (projection)
);

CREATE TABLE ${schema}.projection_checkpoints (
    projection      text        NOT NULL,
    version         integer     NOT NULL,
    transaction_id  bigint      NOT NULL DEFAULT 0,
    global_position bigint      NOT NULL DEFAULT 0,
    fencing_token   bigint      NOT NULL DEFAULT 0,
    state           text        NOT NULL DEFAULT 'STOPPED',
    last_error      text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (projection, version)
);

CREATE TABLE ${schema}.projection_dead_letters (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    projection      text        NOT NULL,
    version         integer     NOT NULL,
    transaction_id  bigint      NOT NULL,
    global_position bigint      NOT NULL,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    error           text        NOT NULL,
    attempts        integer     NOT NULL,
    failed_at       timestamptz NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING',
    CONSTRAINT projection_dead_letters_pkey PRIMARY KEY (id),
    CONSTRAINT projection_dead_letters_event_key UNIQUE (projection, version, event_id),
    CONSTRAINT projection_dead_letters_status_check CHECK (status IN ('PENDING', 'REPLAY_REQUESTED', 'REPLAYED'))
);

CREATE OR REPLACE FUNCTION ${schema}.eventstore_schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 4;
