-- Removes a stream's oldest events as a retention policy says, under the stream's advisory lock (appends wait), with
-- the cut computed there: every event before the highest of p_before_version, (version + 1 - p_max_count) and the
-- first version recorded at or after p_oldest_kept (each rule optional; NULL = not set). The events are copied to
-- events_archive first, in the same transaction. Tombstoned and soft-deleted streams are left alone. Returns one row
-- (from_version, to_version) if anything went, none otherwise. SECURITY DEFINER: it runs as the schema's owner, so the
-- application role needs no DELETE privilege on the log (and has none under the documented grants).
CREATE OR REPLACE FUNCTION ${schema}.remove_events(
    p_stream_id      text,
    p_before_version bigint,
    p_max_count      bigint,
    p_oldest_kept    timestamptz,
    p_actor          text,
    p_reason         text)
    RETURNS TABLE (from_version bigint, to_version bigint)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_version    bigint;
    v_tombstoned boolean;
    v_hidden     boolean;
    v_first      bigint;
    v_young      bigint;
    v_cut        bigint := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(${schema}.stream_lock_key(p_stream_id));
    SELECT s.version, s.tombstoned, s.soft_deleted INTO v_version, v_tombstoned, v_hidden
      FROM ${schema}.streams s WHERE s.stream_id = p_stream_id;
    IF NOT FOUND OR v_tombstoned OR v_hidden OR v_version < 0 THEN
        RETURN;
    END IF;
    SELECT min(e.stream_version) INTO v_first FROM ${schema}.events e WHERE e.stream_id = p_stream_id;
    IF v_first IS NULL THEN
        RETURN;
    END IF;
    IF p_before_version IS NOT NULL THEN
        v_cut := greatest(v_cut, p_before_version);
    END IF;
    IF p_max_count IS NOT NULL THEN
        v_cut := greatest(v_cut, v_version + 1 - p_max_count);
    END IF;
    IF p_oldest_kept IS NOT NULL THEN
        SELECT min(e.stream_version) INTO v_young FROM ${schema}.events e
         WHERE e.stream_id = p_stream_id AND e.recorded_at >= p_oldest_kept;
        v_cut := greatest(v_cut, coalesce(v_young, v_version + 1));
    END IF;
    v_cut := least(v_cut, v_version + 1);
    IF v_cut <= v_first THEN
        RETURN;
    END IF;
    INSERT INTO ${schema}.events_archive (global_position, transaction_id, stream_id, stream_version, event_id,
                                          event_type, payload, metadata, recorded_at, removed_by, removal_reason)
    SELECT e.global_position, e.transaction_id, e.stream_id, e.stream_version, e.event_id, e.event_type, e.payload,
           e.metadata, e.recorded_at, p_actor, p_reason
      FROM ${schema}.events e WHERE e.stream_id = p_stream_id AND e.stream_version < v_cut;
    PERFORM set_config('eventfold.removing', 'on', true);
    DELETE FROM ${schema}.events e WHERE e.stream_id = p_stream_id AND e.stream_version < v_cut;
    PERFORM set_config('eventfold.removing', 'off', true);
    from_version := v_first;
    to_version := v_cut;
    RETURN NEXT;
END
$$;
