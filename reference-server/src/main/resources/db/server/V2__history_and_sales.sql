-- Read models written by the order read-model runner (version 1) in the same transaction as order_summaries_v1.

-- One row per order event, for a customer's history.
CREATE TABLE IF NOT EXISTS ${schema}.customer_order_history_v1 (
    customer_id text        NOT NULL,
    order_id    text        NOT NULL,
    version     bigint      NOT NULL,
    event       text        NOT NULL,
    status      text        NOT NULL,
    total       numeric     NOT NULL,
    currency    text        NOT NULL,
    at          timestamptz NOT NULL,
    CONSTRAINT customer_order_history_v1_pkey PRIMARY KEY (order_id, version)
);
CREATE INDEX IF NOT EXISTS customer_order_history_v1_customer_idx
    ON ${schema}.customer_order_history_v1 (customer_id, at DESC, order_id DESC, version DESC);

-- Sales per day (UTC) and currency: paid orders and their amount, refunds of cancelled paid orders.
CREATE TABLE IF NOT EXISTS ${schema}.sales_daily_v1 (
    day      date    NOT NULL,
    currency text    NOT NULL,
    orders   bigint  NOT NULL,
    gross    numeric NOT NULL,
    refunds  numeric NOT NULL,
    CONSTRAINT sales_daily_v1_pkey PRIMARY KEY (day, currency)
);
