-- The one check every writer of a stream makes after reading its head under the stream's lock: a tombstoned stream
-- raises EV003, a soft-deleted one EV005 (append_events, append_event, tombstone_stream, soft_delete_stream,
-- restore_stream). DETAIL carries the stream id as JSON, as SqlErrors expects.
CREATE OR REPLACE FUNCTION ${schema}.refuse_deleted_stream(p_stream_id text, p_tombstoned boolean, p_hidden boolean)
    RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF p_tombstoned THEN
        RAISE EXCEPTION USING ERRCODE = 'EV003', MESSAGE = 'stream is tombstoned',
            DETAIL = json_build_object('stream_id', p_stream_id)::text;
    END IF;
    IF p_hidden THEN
        RAISE EXCEPTION USING ERRCODE = 'EV005', MESSAGE = 'stream is soft-deleted',
            DETAIL = json_build_object('stream_id', p_stream_id)::text;
    END IF;
END
$$;
