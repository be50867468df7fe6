-- Read model: one row per order, for lists filtered by status, customer and creation time. Written only by the
-- order-summaries projection runner (version 1); a rebuild beside it creates order_summaries_v2 and so on.
CREATE TABLE IF NOT EXISTS ${schema}.order_summaries_v1 (
    order_id    text        NOT NULL,
    customer_id text        NOT NULL,
    status      text        NOT NULL,
    currency    text        NOT NULL,
    total       numeric     NOT NULL,
    line_count  integer     NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     bigint      NOT NULL,
    CONSTRAINT order_summaries_v1_pkey PRIMARY KEY (order_id)
);
-- Cursor pagination walks (created_at, order_id) descending: stable while new orders arrive.
CREATE INDEX IF NOT EXISTS order_summaries_v1_created_idx ON ${schema}.order_summaries_v1 (created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS order_summaries_v1_customer_idx
    ON ${schema}.order_summaries_v1 (customer_id, created_at DESC, order_id DESC);
CREATE INDEX IF NOT EXISTS order_summaries_v1_status_idx
    ON ${schema}.order_summaries_v1 (status, created_at DESC, order_id DESC);
