package dev.eventfold.examples.forwarder;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisStreamCommands;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the Redis stream the forwarder writes and hands on each event once: an entry whose event id was seen before
 * (the forwarder sent it twice around a crash) is skipped.
 *
 * <p>Here the seen ids live in memory; a real consumer records them with its own state, in the same transaction as
 * its own writes (for instance a table with the event id as primary key), so the dedupe survives its restarts too.
 * Not thread-safe.
 */
public final class DedupingConsumer {

    private final RedisStreamCommands<String, String> redis;
    private final String streamKey;
    private final Set<UUID> seen = new HashSet<>();
    private String lastEntryId = "0-0";
    private long duplicatesSkipped;

    /**
     * @param redis a Redis connection's synchronous commands
     * @param streamKey the stream to read, from its beginning
     */
    public DedupingConsumer(RedisStreamCommands<String, String> redis, String streamKey) {
        this.redis = redis;
        this.streamKey = streamKey;
    }

    /**
     * Reads the next entries of the stream.
     *
     * @param maxEntries how many entries to read at most
     * @return the events among them not seen before, in stream order; empty when the stream has no new entries
     */
    @SuppressWarnings("unchecked") // generic varargs of lettuce's xread
    public List<ForwardedEvent> poll(int maxEntries) {
        List<ForwardedEvent> fresh = new ArrayList<>();
        while (fresh.isEmpty()) {   // a page of duplicates only: read on
            List<StreamMessage<String, String>> entries = redis.xread(XReadArgs.Builder.count(maxEntries),
                    XReadArgs.StreamOffset.from(streamKey, lastEntryId));
            if (entries.isEmpty()) {
                break;
            }
            for (StreamMessage<String, String> entry : entries) {
                lastEntryId = entry.getId();
                ForwardedEvent event = ForwardedEvent.of(entry.getId(), entry.getBody());
                if (seen.add(event.eventId())) {
                    fresh.add(event);
                } else {
                    duplicatesSkipped++;
                }
            }
        }
        return fresh;
    }

    /** @return how many entries were skipped as duplicates so far */
    public long duplicatesSkipped() {
        return duplicatesSkipped;
    }
}
