package dev.eventfold.examples.forwarder;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresPool;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The forwarder as a process: {@code java dev.eventfold.examples.forwarder.ForwarderMain <jdbc-url> <db-user>
 * <schema> <redis-uri> <stream-key>} (password, if any, in {@code EVENTFOLD_DB_PASSWORD}). Forwards every event of the
 * store in {@code <schema>} (already migrated) to the Redis stream {@code <stream-key>} until it is stopped or killed.
 */
public final class ForwarderMain {

    private ForwarderMain() {
    }

    /**
     * @param args jdbc url, database user, schema, Redis URI, stream key
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ForwarderMain <jdbc-url> <db-user> <schema> <redis-uri> <stream-key>");
            System.exit(2);
        }
        String schema = args[2];
        String streamKey = args[4];
        HikariDataSource pool = PostgresPool.builder(args[0]).username(args[1])
                .password(System.getenv("EVENTFOLD_DB_PASSWORD")).poolName("forwarder").minIdle(1).maxSize(4).build();
        PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
        RedisClient redisClient = RedisClient.create(args[3]);
        StatefulRedisConnection<String, String> redis = redisClient.connect();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {   // a clean stop; a kill skips this, which is fine
            store.close();
            redis.close();
            redisClient.shutdown();
            pool.close();
        }));

        RedisForwarder forwarder = new RedisForwarder(store, EventFilter.all(),
                ForwarderCheckpoint.create(pool, schema, streamKey), redis.sync(), streamKey);
        forwarder.run(after -> System.out.println("forwarding to Redis stream " + streamKey + " after " + after));
    }
}
