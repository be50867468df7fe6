-- Soft-deleted orders stay in the read models, hidden from lists and histories until restored (the read-model
-- projection sets the flag when it meets the audit trail's stream.soft-delete / stream.restore entries in the log).
-- Every version of the two tables gets the column: a rebuild's tables are made LIKE version 1, but one made before
-- this migration would lack it.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT table_name FROM information_schema.tables
              WHERE table_schema = '${schema}'
                AND (table_name LIKE 'order\_summaries\_v%' OR table_name LIKE 'customer\_order\_history\_v%')
    LOOP
        EXECUTE format('ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS hidden boolean NOT NULL DEFAULT false',
                       '${schema}', t.table_name);
    END LOOP;
END
$$;
