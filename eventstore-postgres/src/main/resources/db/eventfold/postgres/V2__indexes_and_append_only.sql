-- Reading the log in (transaction_id, global_position) order, after a checkpoint pair and below the xmin horizon.
CREATE INDEX events_log_order_idx ON ${schema}.events (transaction_id, global_position);

-- Category reads: equality on category, then the same log order.
CREATE INDEX events_category_idx ON ${schema}.events (${schema}.category(stream_id), transaction_id, global_position);

-- Type-filtered reads.
CREATE INDEX events_type_idx ON ${schema}.events (event_type, transaction_id, global_position);

-- Append-only: rows of the log are never changed or removed through ordinary SQL.
CREATE FUNCTION ${schema}.reject_event_changes() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'EV004',
        MESSAGE = format('the events table is append-only: %s is not allowed', TG_OP),
        HINT = 'GDPR and archiving use their own audited functions';
END
$$;

CREATE TRIGGER events_append_only_rows
    BEFORE UPDATE OR DELETE ON ${schema}.events
    FOR EACH ROW EXECUTE FUNCTION ${schema}.reject_event_changes();

CREATE TRIGGER events_append_only_truncate
    BEFORE TRUNCATE ON ${schema}.events
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.reject_event_changes();
