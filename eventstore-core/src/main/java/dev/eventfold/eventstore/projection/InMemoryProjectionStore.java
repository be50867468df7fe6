package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link ProjectionStore} in memory, for tests and single-process use. There is no transaction to hand out
 * (projections get {@code null}): read-model writes happen as the projection makes them, so a projection that fails
 * half-way through a batch has applied part of it and is retried: in-memory projections must be idempotent
 * (at-least-once). Checkpoints, fencing and dead letters behave as in the PostgreSQL store. Thread-safe (one lock).
 */
public final class InMemoryProjectionStore implements ProjectionStore<Void> {

    private final InstantSource clock;
    private final Map<Key, Row> rows = new HashMap<>();
    private final Map<String, Integer> active = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /** Creates an empty store on the system clock. */
    public InMemoryProjectionStore() {
        this(InstantSource.system());
    }

    /** @param clock where update times come from */
    public InMemoryProjectionStore(InstantSource clock) {
        if (clock == null) {
            throw new InvalidRequestException("clock must not be null");
        }
        this.clock = clock;
    }

    private record Key(String projection, int version) {
    }

    private static final class Row {
        LogPosition checkpoint = LogPosition.START;
        long token;
        boolean held;
        ProjectionState state = ProjectionState.STOPPED;
        String lastError;
        Instant updatedAt;
    }

    private Row row(String projection, int version) {
        return rows.computeIfAbsent(new Key(projection, version), k -> {
            Row row = new Row();
            row.updatedAt = clock.instant();
            return row;
        });
    }

    @Override
    public synchronized Optional<Lease> tryLead(String projection, int version) {
        Row row = row(projection, version);
        if (row.held) {
            return Optional.empty();
        }
        row.held = true;
        row.token++;
        return Optional.of(new MemoryLease(projection, version, row.token));
    }

    @Override
    public synchronized LogPosition checkpoint(String projection, int version) {
        return row(projection, version).checkpoint;
    }

    private Row fenced(Lease lease) {
        Row row = row(lease.projection(), lease.version());
        if (row.token != lease.fencingToken()) {
            throw new ProjectionFencedException(lease.projection(), lease.version(), lease.fencingToken());
        }
        return row;
    }

    @Override
    public synchronized void commit(Lease lease, LogPosition to, Work<Void> work) throws Exception {
        Row row = fenced(lease);
        work.run(null);
        row.checkpoint = to;
        row.updatedAt = clock.instant();
    }

    @Override
    public synchronized void reset(Lease lease, Work<Void> work) throws Exception {
        Row row = fenced(lease);
        work.run(null);
        row.checkpoint = LogPosition.START;
        row.updatedAt = clock.instant();
    }

    @Override
    public synchronized void deadLetter(Lease lease, RecordedEvent event, String error, int attempts, Instant at) {
        Row row = fenced(lease);
        deadLetters.add(new DeadLetter(deadLetters.size() + 1L, lease.projection(), lease.version(),
                event.logPosition(), event.streamId(), event.streamVersion(), event.eventId(), event.type(), error,
                attempts, at, DeadLetter.Status.PENDING));
        row.checkpoint = event.logPosition();
        row.updatedAt = clock.instant();
    }

    @Override
    public synchronized List<DeadLetter> deadLetters(String projection, int version) {
        return deadLetters.stream().filter(d -> d.projection().equals(projection) && d.version() == version).toList();
    }

    @Override
    public synchronized int requestReplay(String projection, int version) {
        int marked = 0;
        for (int i = 0; i < deadLetters.size(); i++) {
            DeadLetter d = deadLetters.get(i);
            if (d.projection().equals(projection) && d.version() == version
                    && d.status() == DeadLetter.Status.PENDING) {
                deadLetters.set(i, with(d, d.error(), d.attempts(), d.failedAt(), DeadLetter.Status.REPLAY_REQUESTED));
                marked++;
            }
        }
        return marked;
    }

    @Override
    public synchronized boolean requestReplay(String projection, int version, long deadLetterId) {
        return move(projection, version, deadLetterId, DeadLetter.Status.REPLAY_REQUESTED);
    }

    @Override
    public synchronized boolean skip(String projection, int version, long deadLetterId) {
        return move(projection, version, deadLetterId, DeadLetter.Status.SKIPPED);
    }

    private boolean move(String projection, int version, long deadLetterId, DeadLetter.Status to) {
        if (deadLetterId < 1 || deadLetterId > deadLetters.size()) {
            return false;
        }
        DeadLetter d = deadLetters.get((int) deadLetterId - 1);
        if (!d.projection().equals(projection) || d.version() != version || d.status() != DeadLetter.Status.PENDING) {
            return false;
        }
        deadLetters.set((int) deadLetterId - 1, with(d, d.error(), d.attempts(), d.failedAt(), to));
        return true;
    }

    @Override
    public synchronized void replayed(Lease lease, long deadLetterId, Work<Void> work) throws Exception {
        fenced(lease);
        DeadLetter d = deadLetters.get((int) deadLetterId - 1);
        work.run(null);
        deadLetters.set((int) deadLetterId - 1, with(d, d.error(), d.attempts() + 1, d.failedAt(),
                DeadLetter.Status.REPLAYED));
    }

    @Override
    public synchronized void replayFailed(long deadLetterId, String error, Instant at) {
        DeadLetter d = deadLetters.get((int) deadLetterId - 1);
        deadLetters.set((int) deadLetterId - 1, with(d, error, d.attempts() + 1, at, DeadLetter.Status.PENDING));
    }

    private static DeadLetter with(DeadLetter d, String error, int attempts, Instant at, DeadLetter.Status status) {
        return new DeadLetter(d.id(), d.projection(), d.version(), d.position(), d.streamId(), d.streamVersion(),
                d.eventId(), d.eventType(), error, attempts, at, status);
    }

    @Override
    public synchronized OptionalInt activeVersion(String projection) {
        Integer version = active.get(projection);
        return version == null ? OptionalInt.empty() : OptionalInt.of(version);
    }

    @Override
    public synchronized boolean activate(Lease lease) {
        fenced(lease);
        Integer current = active.get(lease.projection());
        if (current != null && current > lease.version()) {
            return false;
        }
        active.put(lease.projection(), lease.version());
        return true;
    }

    @Override
    public synchronized void recordState(String projection, int version, ProjectionState state, String lastError) {
        Row row = row(projection, version);
        row.state = state;
        row.lastError = lastError;
        row.updatedAt = clock.instant();
    }

    @Override
    public synchronized Optional<StoredStatus> storedStatus(String projection, int version) {
        Row row = rows.get(new Key(projection, version));
        return row == null ? Optional.empty()
                : Optional.of(new StoredStatus(row.checkpoint, row.state, row.lastError, row.token, row.updatedAt));
    }

    /**
     * Takes leadership away from whoever holds a projection version, as if its lock connection had died: the next
     * {@link #tryLead} succeeds and the old lease is fenced. For tests.
     *
     * @param projection the projection name
     * @param version the version
     */
    public synchronized void revokeLeadership(String projection, int version) {
        row(projection, version).held = false;
    }

    private final class MemoryLease implements Lease {
        private final String projection;
        private final int version;
        private final long token;

        MemoryLease(String projection, int version, long token) {
            this.projection = projection;
            this.version = version;
            this.token = token;
        }

        @Override
        public String projection() {
            return projection;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public long fencingToken() {
            return token;
        }

        @Override
        public boolean isHeld() {
            synchronized (InMemoryProjectionStore.this) {
                Row row = row(projection, version);
                return row.held && row.token == token;
            }
        }

        @Override
        public void close() {
            synchronized (InMemoryProjectionStore.this) {
                Row row = row(projection, version);
                if (row.token == token) {
                    row.held = false;
                }
            }
        }
    }
}
