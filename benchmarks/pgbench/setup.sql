-- Tables for the pgbench statements of this directory (docs/performance.md, "Where the single-append gap is").
-- Eventfold's own schema "ef" is migrated by the library (Migrate.java); this adds Axon's table (as Axon 4's
-- PostgresEventTableFactory makes it) and variants of Eventfold's events table, each without one of its costs.
CREATE SEQUENCE IF NOT EXISTS pgbench_run;
CREATE SCHEMA axon;
CREATE TABLE axon.domain_event_entry (global_index bigserial PRIMARY KEY, aggregate_identifier varchar(255) NOT NULL,
    sequence_number bigint NOT NULL, type varchar(255), event_identifier varchar(255) NOT NULL UNIQUE, meta_data bytea,
    payload bytea NOT NULL, payload_revision varchar(255), payload_type varchar(255) NOT NULL,
    time_stamp varchar(255) NOT NULL, UNIQUE (aggregate_identifier, sequence_number));
CREATE SCHEMA v;
-- nogen: without the generated schema_version column
CREATE TABLE v.nogen (global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL, stream_version bigint NOT NULL,
    event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, payload json NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version));
CREATE INDEX ON v.nogen (transaction_id, global_position);
CREATE INDEX ON v.nogen (split_part(stream_id, '-', 1), transaction_id, global_position);
CREATE INDEX ON v.nogen (event_type, transaction_id, global_position);
-- text: payload and metadata as text (no json/jsonb input), so no generated column either
CREATE TABLE v.text (global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL, stream_version bigint NOT NULL,
    event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, payload text NOT NULL, metadata text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version));
CREATE INDEX ON v.text (transaction_id, global_position);
CREATE INDEX ON v.text (split_part(stream_id, '-', 1), transaction_id, global_position);
CREATE INDEX ON v.text (event_type, transaction_id, global_position);
-- idx3: without the three non-unique indexes (log order, category, type)
CREATE TABLE v.idx3 (global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL, stream_version bigint NOT NULL,
    event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, payload json NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    schema_version text GENERATED ALWAYS AS (metadata -> 'headers' ->> 'schemaVersion') STORED,
    UNIQUE (stream_id, stream_version));
-- bare: text columns and only the three unique indexes
CREATE TABLE v.bare (global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text NOT NULL, stream_version bigint NOT NULL,
    event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, payload text NOT NULL, metadata text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_version));
