package dev.eventfold.server.redis;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.SessionStore;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in Redis: one hash per session ({@code <prefix>session:<id>} with {@code sub}, {@code role}, {@code jti}),
 * expiring with the refresh token. Creation and rotation are Lua scripts, so a rotation is one atomic compare-and-set
 * across every replica and a session never exists without its expiry.
 */
public final class RedisSessionStore implements SessionStore {

    private static final String CREATE = "redis.call('HSET', KEYS[1], 'sub', ARGV[1], 'role', ARGV[2], 'jti', ARGV[3]) "
            + "redis.call('PEXPIRE', KEYS[1], ARGV[4]) return 1";
    private static final String ROTATE = "local current = redis.call('HGET', KEYS[1], 'jti') "
            + "if not current then return 0 end "
            + "if current ~= ARGV[1] then redis.call('DEL', KEYS[1]) return -1 end "
            + "redis.call('HSET', KEYS[1], 'jti', ARGV[2]) redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1";

    private final Redis redis;

    /** @param redis the connection */
    public RedisSessionStore(Redis redis) {
        this.redis = redis;
    }

    private String key(String sessionId) {
        return redis.prefix() + "session:" + sessionId;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void create(String sessionId, Session session, Duration ttl) {
        redis.required("session start", c -> c.eval(CREATE, ScriptOutputType.INTEGER, new String[] {key(sessionId)},
                bytes(session.subject()), bytes(session.role().claim()), bytes(session.refreshId()),
                bytes(Long.toString(ttl.toMillis()))));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Map<String, byte[]> fields = redis.required("session check", c -> c.hgetall(key(sessionId)));
        if (fields == null || !fields.containsKey("sub") || !fields.containsKey("jti")) {
            return Optional.empty();
        }
        Role role = Role.parse(new String(fields.get("role"), StandardCharsets.UTF_8));
        return Optional.of(new Session(new String(fields.get("sub"), StandardCharsets.UTF_8), role,
                new String(fields.get("jti"), StandardCharsets.UTF_8)));
    }

    @Override
    public Rotation rotate(String sessionId, String presented, String next, Duration ttl) {
        Long outcome = redis.required("session refresh", c -> c.eval(ROTATE, ScriptOutputType.INTEGER,
                new String[] {key(sessionId)}, bytes(presented), bytes(next), bytes(Long.toString(ttl.toMillis()))));
        return outcome == 1 ? Rotation.ROTATED : outcome == -1 ? Rotation.REUSED : Rotation.ENDED;
    }

    @Override
    public void end(String sessionId) {
        redis.required("logout", c -> c.del(key(sessionId)));
    }
}
