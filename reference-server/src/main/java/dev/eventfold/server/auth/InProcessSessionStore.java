package dev.eventfold.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Optional;

/** Sessions in this process (no {@code REDIS_HOST}): single-node semantics, gone on restart. */
public final class InProcessSessionStore implements SessionStore {

    private record Entry(Session session, Duration ttl) {
    }

    private final Cache<String, Entry> sessions = Caffeine.newBuilder().maximumSize(1_000_000)
            .expireAfter(new Expiry<String, Entry>() {
                @Override
                public long expireAfterCreate(String key, Entry entry, long now) {
                    return entry.ttl().toNanos();
                }

                @Override
                public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
                    return entry.ttl().toNanos();
                }

                @Override
                public long expireAfterRead(String key, Entry entry, long now, long remaining) {
                    return remaining;
                }
            }).build();

    @Override
    public void create(String sessionId, Session session, Duration ttl) {
        sessions.put(sessionId, new Entry(session, ttl));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Entry entry = sessions.getIfPresent(sessionId);
        return entry == null ? Optional.empty() : Optional.of(entry.session());
    }

    @Override
    public Rotation rotate(String sessionId, String presented, String next, Duration ttl) {
        Rotation[] outcome = {Rotation.ENDED};
        sessions.asMap().computeIfPresent(sessionId, (id, entry) -> {
            if (!entry.session().refreshId().equals(presented)) {
                outcome[0] = Rotation.REUSED;
                return null;
            }
            outcome[0] = Rotation.ROTATED;
            Session session = entry.session();
            return new Entry(new Session(session.subject(), session.role(), next), ttl);
        });
        return outcome[0];
    }

    @Override
    public void end(String sessionId) {
        sessions.invalidate(sessionId);
    }
}
