package dev.eventfold.examples.forwarder;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import io.lettuce.core.api.sync.RedisStreamCommands;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards events from the event store to a Redis stream, <b>at least once</b>.
 *
 * <p>A subscription delivers the log after the forwarder's checkpoint; for each event the forwarder first XADDs it to
 * Redis, then moves its checkpoint. Redis and PostgreSQL share no transaction, so a crash between the two sends that
 * event again after the restart: consumers deduplicate by event id ({@link DedupingConsumer}). The other order
 * (checkpoint first) would lose the event instead.
 */
public final class RedisForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(RedisForwarder.class);
    private static final Duration RESUBSCRIBE_AFTER = Duration.ofSeconds(1);

    private final EventStore store;
    private final EventFilter filter;
    private final ForwarderCheckpoint checkpoint;
    private final RedisStreamCommands<String, String> redis;
    private final String streamKey;

    /**
     * @param store the event store to read
     * @param filter which events to forward
     * @param checkpoint where the forwarder keeps its position
     * @param redis a Redis connection's synchronous commands
     * @param streamKey the Redis stream to append to
     */
    public RedisForwarder(EventStore store, EventFilter filter, ForwarderCheckpoint checkpoint,
            RedisStreamCommands<String, String> redis, String streamKey) {
        this.store = store;
        this.filter = filter;
        this.checkpoint = checkpoint;
        this.redis = redis;
        this.streamKey = streamKey;
    }

    /**
     * Forwards until the thread is interrupted. If the subscription stops (Redis or PostgreSQL unreachable, the
     * handler failed), it subscribes again after the stored checkpoint.
     *
     * @param subscribed told the position after which each subscription starts
     * @throws InterruptedException when interrupted
     */
    public void run(Consumer<LogPosition> subscribed) throws InterruptedException {
        while (true) {
            try {
                LogPosition after = checkpoint.load();
                try (Subscription subscription = store.subscribe(after, filter, this::forward)) {
                    subscribed.accept(after);
                    while (subscription.isRunning()) {
                        Thread.sleep(100);
                    }
                    LOG.warn("subscription stopped at {}: {}", subscription.position(),
                            subscription.failure().map(Throwable::toString).orElse("closed"));
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("cannot subscribe: {}", e.toString());
            }
            Thread.sleep(RESUBSCRIBE_AFTER.toMillis());
        }
    }

    /** The subscription's handler: Redis first, checkpoint second. An exception stops the subscription. */
    private void forward(RecordedEvent event) throws Exception {
        redis.xadd(streamKey, ForwardedEvent.fields(event));
        // A crash here, after XADD and before the checkpoint moves, sends this event again: at least once.
        checkpoint.save(event.logPosition());
    }
}
