package dev.eventfold.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
final class Redis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final ServerConfig config;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile long lastAttempt;
    private final BucketConfiguration limits;
    private final Cache<String, Bucket> localBuckets;
    private final Cache<String, Instant> localRevocations;
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile long lastWarning;

    Redis(ServerConfig config) {
        this.config = config;
        this.limits = BucketConfiguration.builder().addLimit(limit -> limit.capacity(config.rateLimitMax())
                .refillGreedy(config.rateLimitMax(), config.rateLimitWindow())).build();
        this.localBuckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(config.rateLimitWindow()).build();
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
        if (config.redisHost() == null) {
            client = null;
            connection = null;
            buckets = null;
            LOG.warn("no REDIS_HOST: rate limits and session revocations are kept in this process only "
                    + "(single-node semantics)");
            return;
        }
        RedisURI.Builder uri = RedisURI.builder().withHost(config.redisHost()).withPort(config.redisPort())
                .withTimeout(TIMEOUT);
        if (config.redisPassword() != null) {
            uri.withPassword(config.redisPassword().toCharArray());
        }
        client = RedisClient.create(uri.build());
        connect();
        if (connection == null) {
            LOG.warn("Redis at {}:{} is unreachable at start; serving with the fallback policy until it is back",
                    config.redisHost(), config.redisPort());
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
        if (lastAttempt != 0 && now - lastAttempt < TimeUnit.SECONDS.toNanos(2)) {
            return null;
        }
        lastAttempt = now;
        try {
            StatefulRedisConnection<String, byte[]> opened = client.connect(
                    RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(opened).expirationAfterWrite(ExpirationAfterWriteStrategy
                    .basedOnTimeForRefillingBucketUpToMax(config.rateLimitWindow())).requestTimeout(TIMEOUT).build();
            connection = opened;
            LOG.info("connected to Redis at {}:{}", config.redisHost(), config.redisPort());
        } catch (RuntimeException e) {
            LOG.debug("Redis connection failed: {}", e.toString());
        }
        return connection;
    }

    /** The outcome of a rate-limit check. */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    Decision check(String client) {
        ConsumptionProbe probe = null;
        connect();
        ProxyManager<String> buckets = this.buckets;
        if (buckets != null) {
            try {
                probe = buckets.getProxy(config.redisKeyPrefix() + "ratelimit:" + client, () -> limits)
                        .tryConsumeAndReturnRemaining(1);
            } catch (RuntimeException e) {
                degraded("rate limit", e);
            }
        }
        if (probe == null) {
            probe = localBuckets.get(client, key -> Bucket.builder().addLimit(limit -> limit
                    .capacity(config.rateLimitMax()).refillGreedy(config.rateLimitMax(), config.rateLimitWindow()))
                    .build()).tryConsumeAndReturnRemaining(1);
        }
        long reset = (long) Math.ceil(probe.getNanosToWaitForReset() / 1e9);
        long retry = probe.isConsumed() ? 0 : Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1e9));
        return new Decision(probe.isConsumed(), config.rateLimitMax(), probe.getRemainingTokens(), reset, retry);
    }

    /** @return whether the token was revoked (logged out) */
    boolean isRevoked(String tokenId) {
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
        try {
            return connection.sync().exists(revocationKey(tokenId)) > 0;
        } catch (RuntimeException e) {
            degraded("session check", e);
            return false;
        }
    }

    /**
     * Revokes a token until it expires.
     *
     * @return whether every replica will know (Redis took it)
     */
    boolean revoke(String tokenId, Instant expiresAt) {
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
        try {
            connection.sync().set(revocationKey(tokenId), "1".getBytes(StandardCharsets.UTF_8),
                    SetArgs.Builder.px(ttl));
            return true;
        } catch (RuntimeException e) {
            degraded("logout", e);
            return false;
        }
    }

    private String revocationKey(String tokenId) {
        return config.redisKeyPrefix() + "revoked:" + tokenId;
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
    long fallbacks() {
        return fallbacks.get();
    }

    /** @return 1 if the Redis connection is open, 0 otherwise */
    int connectionsActive() {
        StatefulRedisConnection<String, byte[]> current = connection;
        return current != null && current.isOpen() ? 1 : 0;
    }

    Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        if (client == null) {
            health.put("status", "not-configured");
            health.put("mode", "in-process substitutes");
            return health;
        }
        long started = System.nanoTime();
        try {
            StatefulRedisConnection<String, byte[]> connection = connect();
            if (connection == null) {
                throw new IllegalStateException("not connected");
            }
            connection.sync().ping();
            health.put("status", "healthy");
        } catch (RuntimeException e) {
            health.put("status", "unhealthy");
            health.put("error", e.getClass().getSimpleName());
        }
        health.put("responseTimeMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
        return health;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, byte[]> current = connection;
        if (current != null) {
            current.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
