package dev.eventfold.server.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.eventfold.server.config.ServerConfig;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits and session revocation, in Redis when {@code REDIS_HOST} is set, otherwise in this process.
 *
 * <p><b>Policy when Redis is unreachable</b> (documented in docs/server.md): the service keeps serving. Rate limits
 * fall back to per-replica buckets with the same limits (so a client can get up to replicas × the limit); revocation
 * checks use the revocations this replica knows of (it remembers every one it recorded); a logout is recorded locally
 * and answered 503 so the client knows it did not reach every replica. {@code /health} shows Redis unhealthy and the
 * service degraded. Lettuce reconnects on its own; everything returns to Redis as soon as it answers again.
 */
public final class Redis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final ServerConfig.Redis config;
    private final ServerConfig.Http http;
    private final RedisClient client;
    private final io.lettuce.core.resource.ClientResources resources;
    private volatile long unavailableUntil;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile long lastAttempt;
    private final BucketConfiguration limits;
    private final Cache<String, Bucket> localBuckets;
    private final Cache<String, Instant> localRevocations;
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile long lastWarning;

    /** @param settings Redis and the rate limits */
    public Redis(ServerConfig settings) {
        this.config = settings.redis();
        this.http = settings.http();
        this.limits = BucketConfiguration.builder().addLimit(limit -> limit.capacity(http.rateLimitMax())
                .refillGreedy(http.rateLimitMax(), http.rateLimitWindow())).build();
        this.localBuckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(http.rateLimitWindow()).build();
        this.localRevocations = Caffeine.newBuilder().maximumSize(1_000_000).expireAfter(new Expiry<String, Instant>() {
            @Override
            public long expireAfterCreate(String key, Instant until, long now) {
                return Math.max(0, Duration.between(Instant.now(), until).toNanos());
            }

            @Override
            public long expireAfterUpdate(String key, Instant until, long now, long remaining) {
                return expireAfterCreate(key, until, now);
            }

            @Override
            public long expireAfterRead(String key, Instant until, long now, long remaining) {
                return remaining;
            }
        }).build();
        if (config.host() == null) {
            client = null;
            resources = null;
            connection = null;
            buckets = null;
            LOG.warn("no REDIS_HOST: rate limits and session revocations are kept in this process only "
                    + "(single-node semantics)");
            return;
        }
        resources = RedisClients.resources(config);
        client = RedisClients.create(config, resources, TIMEOUT);
        connect();
        if (connection == null) {
            LOG.warn("Redis at {}:{} is unreachable at start; serving with the fallback policy until it is back",
                    config.host(), config.port());
        }
    }

    /** Connects if not connected yet (at most every 2 s); once connected, Lettuce reconnects by itself. */
    private StatefulRedisConnection<String, byte[]> connect() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (client == null || current != null) {
            return current; // every request comes here: no lock once connected
        }
        return connectSlowly();
    }

    private synchronized StatefulRedisConnection<String, byte[]> connectSlowly() {
        if (connection != null) {
            return connection;
        }
        long now = System.nanoTime();
        if (lastAttempt != 0 && now - lastAttempt < Math.max(config.retryDelayOnFailover().toNanos(),
                TimeUnit.SECONDS.toNanos(1))) {
            return null;
        }
        lastAttempt = now;
        try {
            StatefulRedisConnection<String, byte[]> opened = client.connect(
                    RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(opened).expirationAfterWrite(ExpirationAfterWriteStrategy
                    .basedOnTimeForRefillingBucketUpToMax(http.rateLimitWindow())).requestTimeout(TIMEOUT).build();
            connection = opened;
            LOG.info("connected to Redis at {}:{}", config.host(), config.port());
        } catch (RuntimeException e) {
            LOG.debug("Redis connection failed: {}", e.toString());
        }
        return connection;
    }

    /** The outcome of a rate-limit check. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    /**
     * @param client the client's key (token subject or address)
     * @return whether it may go on, and the numbers for the RateLimit headers
     */
    public Decision check(String client) {
        ConsumptionProbe probe = null;
        connect();
        ProxyManager<String> buckets = this.buckets;
        if (buckets != null) {
            probe = attempt("rate limit", () -> buckets.getProxy(config.keyPrefix() + "ratelimit:" + client,
                    () -> limits).tryConsumeAndReturnRemaining(1));
        }
        if (probe == null) {
            probe = localBuckets.get(client, key -> Bucket.builder().addLimit(limit -> limit
                    .capacity(http.rateLimitMax()).refillGreedy(http.rateLimitMax(), http.rateLimitWindow()))
                    .build()).tryConsumeAndReturnRemaining(1);
        }
        long reset = (long) Math.ceil(probe.getNanosToWaitForReset() / 1e9);
        long retry = probe.isConsumed() ? 0 : Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(probe.isConsumed(), http.rateLimitMax(), probe.getRemainingTokens(), reset, retry);
    }

    /** @return whether the token was revoked (logged out) */
    public boolean isRevoked(String tokenId) {
        if (tokenId == null) {
            return false;
        }
        if (localRevocations.getIfPresent(tokenId) != null) {
            return true;
        }
        StatefulRedisConnection<String, byte[]> connection = connect();
        if (connection == null) {
            if (client != null) {
                degraded("session check", new IllegalStateException("not connected"));
            }
            return false;
        }
        Long found = attempt("session check", () -> connection.sync().exists(revocationKey(tokenId)));
        return found != null && found > 0;
    }

    /**
     * Revokes a token until it expires.
     *
     * @return whether every replica will know (Redis took it)
     */
    public boolean revoke(String tokenId, Instant expiresAt) {
        localRevocations.put(tokenId, expiresAt);
        if (client == null) {
            return true; // in-process mode: this replica is everyone
        }
        StatefulRedisConnection<String, byte[]> connection = connect();
        if (connection == null) {
            degraded("logout", new IllegalStateException("not connected"));
            return false;
        }
        long ttl = Math.max(1, Duration.between(Instant.now(), expiresAt).toMillis());
        return attempt("logout", () -> connection.sync().set(revocationKey(tokenId),
                "1".getBytes(StandardCharsets.UTF_8), SetArgs.Builder.px(ttl))) != null;
    }

    private String revocationKey(String tokenId) {
        return config.keyPrefix() + "revoked:" + tokenId;
    }

    /**
     * Runs a Redis call, retried up to {@code redis.maxRetriesPerRequest} times with {@code redis.retryDelayOnFailover}
     * between tries (a failover of a replication group takes a moment). When every try failed, the next requests skip
     * Redis for the same delay (at least a second), so an outage costs one request the retries, not every request.
     *
     * @return the result, or null when the caller must use the per-replica fallback
     */
    private <T> T attempt(String what, java.util.function.Supplier<T> call) {
        if (System.nanoTime() - unavailableUntil < 0) {
            fallbacks.incrementAndGet();
            return null;
        }
        RuntimeException last = null;
        for (int i = 0; i <= config.maxRetriesPerRequest(); i++) {
            if (i > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(config.retryDelayOnFailover().toNanos());
            }
            try {
                return call.get();
            } catch (RuntimeException e) {
                last = e;
            }
        }
        unavailableUntil = System.nanoTime() + Math.max(config.retryDelayOnFailover().toNanos(),
                TimeUnit.SECONDS.toNanos(1));
        degraded(what, last);
        return null;
    }

    /**
     * A Redis call whose answer matters (sessions): retried like {@link #attempt}, but never replaced by a local
     * guess.
     *
     * @throws dev.eventfold.server.auth.SessionStore.SessionStoreUnavailableException when Redis does not answer
     */
    <T> T required(String what, java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, byte[]>,
            T> call) {
        StatefulRedisConnection<String, byte[]> current = client == null ? null : connect();
        Object[] result = new Object[1];
        Boolean done = current == null ? null : attempt(what, () -> {
            result[0] = call.apply(current.sync());
            return Boolean.TRUE;
        });
        if (done == null) {
            throw new dev.eventfold.server.auth.SessionStore.SessionStoreUnavailableException("Redis at "
                    + config.host() + ":" + config.port() + " does not answer (" + what + ")");
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** @return whether a Redis server is configured (else sessions live in this process) */
    public boolean configured() {
        return client != null;
    }

    /** @return the key prefix */
    String prefix() {
        return config.keyPrefix();
    }

    private void degraded(String what, RuntimeException e) {
        fallbacks.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarning > TimeUnit.SECONDS.toNanos(10)) {
            lastWarning = now;
            LOG.warn("Redis unavailable for {} ({}); using the per-replica fallback", what, e.toString());
        }
    }

    /** @return times the fallback was used */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** @return 1 if the Redis connection is open, 0 otherwise */
    public int connectionsActive() {
        StatefulRedisConnection<String, byte[]> current = connection;
        return current != null && current.isOpen() ? 1 : 0;
    }

    /**
     * Checks that Redis answers.
     *
     * @throws IllegalStateException when it does not (in in-process mode it always answers)
     */
    public void ping() {
        if (client == null) {
            return;
        }
        StatefulRedisConnection<String, byte[]> current = connect();
        if (current == null) {
            throw new IllegalStateException("not connected to Redis at " + config.host() + ":" + config.port());
        }
        current.sync().ping();
        unavailableUntil = System.nanoTime(); // answered: the next request tries Redis again
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
