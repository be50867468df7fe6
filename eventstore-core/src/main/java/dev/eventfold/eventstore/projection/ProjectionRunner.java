package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.internal.LogProgress;
import dev.eventfold.eventstore.internal.LogSignal;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Feeds one version of a {@link Projection} from the event log, in batches, keeping its checkpoint in a
 * {@link ProjectionStore}. Run one per projection version in every replica: exactly one of them leads at a time.
 *
 * <pre>{@code
 * ProjectionRunner<Connection> runner = ProjectionRunner
 *         .builder(eventStore, projectionStore, "order-summary", new OrderSummaryProjection())
 *         .version(2)
 *         .build();
 * runner.start();
 * boolean seen = runner.awaitPosition(result.position(), Duration.ofSeconds(5)); // read-your-writes
 * }</pre>
 *
 * <h2>Reading</h2>
 * Batches come from {@link EventStore#readAll(LogPosition, EventFilter, int)} after the checkpoint, so a
 * PostgreSQL store's gap-safe reader decides what is readable: no event is skipped whatever order transactions commit
 * in. When caught up the runner waits for the store's word that the log grew ({@link EventStore#watchLog}: its own
 * appends, and with PostgreSQL other processes' through LISTEN/NOTIFY) and polls meanwhile after 10 ms, doubling up
 * to {@code pollInterval}, for what no signal announces (an event that becomes readable when an older transaction
 * ends, a lost notification). {@link #awaitPosition} returns as soon as this runner commits past the target.
 *
 * <h2>Exactly once, or at least once</h2>
 * Each batch is applied and the checkpoint moved in one {@link ProjectionStore#commit transaction}. When the read
 * model lives in that transaction (PostgreSQL read model, PostgreSQL projection store) each event takes effect exactly
 * once; otherwise a crash between the read-model write and the checkpoint replays the batch, and the projection must
 * be idempotent.
 *
 * <h2>One leader, fenced</h2>
 * Runners compete for a lease ({@link ProjectionStore#tryLead}); standbys retry every {@code leaseRetryInterval},
 * so when the leader dies another replica takes over within about that interval (plus the time PostgreSQL needs to
 * notice the dead lock connection). Every write carries the lease's fencing token and is rejected once another runner
 * has taken over, so a paused old leader cannot write after the takeover. See {@code docs/adr/0003-projection-leadership.md}.
 *
 * <h2>Failures</h2>
 * An event the projection rejects is retried with exponential backoff ({@link RetryPolicy}); after the last attempt
 * the events before it are committed, and the event either becomes a {@link DeadLetter} (the checkpoint moves past it)
 * or the runner stops in state {@link ProjectionState#FAILED} before it, by {@link FailurePolicy}. Infrastructure
 * failures (the store unreachable) are retried without limit and never dead-letter an event. Dead letters are listed
 * with {@link #deadLetters()} and replayed by the leader after {@link #requestReplay()}.
 *
 * <h2>Rebuilds</h2>
 * {@link #rebuild()} resets this version's read model and checkpoint and rebuilds it in place (queries see it
 * refill). For a rebuild without downtime, raise the projection's version instead: a runner of version {@code n + 1}
 * builds its own read model beside the active version {@code n}, then makes itself active when it has caught up; the
 * runners of {@code n} see that and stop. Queries read {@link ProjectionStore#activeVersion}.
 *
 * <p>Thread-safe. One background thread per runner. Time comes from the injected clock and {@link Sleeper}.
 *
 * @param <T> the projection store's transaction type
 */
public final class ProjectionRunner<T> implements AutoCloseable {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    private static final int LAG_COUNT_LIMIT = 10_000;

    private final EventStore store;
    private final ProjectionStore<T> projections;
    private final String name;
    private final Projection<T> projection;
    private final EventFilter filter;
    private final int version;
    private final int batchSize;
    private final RetryPolicy retry;
    private final InstantSource clock;
    private final RunnerStatus status;
    private final BatchApplier<T> applier;
    private final DeadLetterReplays<T> replays;
    private final RunnerLoop<T> loop;

    private final AtomicBoolean rebuildRequested = new AtomicBoolean();
    private volatile Thread thread;

    private ProjectionRunner(Builder<T> builder) {
        this.store = builder.store;
        this.projections = builder.projections;
        this.name = builder.name;
        this.projection = builder.projection;
        this.filter = projection.filter();
        this.version = builder.version;
        this.batchSize = Math.min(builder.batchSize, store.limits().maxEventsPerRead());
        this.retry = builder.retry;
        this.clock = builder.clock;
        if (filter == null) {
            throw new InvalidRequestException("projection '" + name + "' returned a null filter");
        }
        this.status = new RunnerStatus(name, version, projections, builder.sleeper);
        this.applier = new BatchApplier<>(status, projections, projection, retry, builder.failurePolicy, clock,
                builder.listener);
        this.replays = new DeadLetterReplays<>(status, store, projections, projection, clock);
        this.loop = new RunnerLoop<>(store, projections, projection, batchSize, retry, builder.pollInterval,
                builder.leaseRetryInterval, status, applier, replays, rebuildRequested);
    }

    /**
     * @param store the event store to read
     * @param projections where checkpoints and leases live
     * @param name the projection's stable name: lower-case letters, digits, {@code _ . -}, up to 100 characters
     * @param projection the projection
     * @param <T> the transaction type
     * @return a builder
     */
    public static <T> Builder<T> builder(EventStore store, ProjectionStore<T> projections, String name,
            Projection<T> projection) {
        return new Builder<>(store, projections, name, projection);
    }

    /** @return the projection's name */
    public String name() {
        return name;
    }

    /** @return the version this runner builds */
    public int version() {
        return version;
    }

    /**
     * Starts the runner's thread. It competes for leadership, then reads and applies events until {@link #stop()}.
     *
     * @throws IllegalStateException if already started
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("projection runner '" + name + "' v" + version + " is already started");
        }
        status.stopping = false;
        status.state = ProjectionState.STANDBY;
        Thread started = new Thread(loop, "eventfold-projection-" + name + "-v" + version);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /**
     * Stops the runner and waits for its thread to end (at most 30 seconds); the current batch is committed or rolled
     * back, never half-applied. Leadership is given up.
     */
    public void stop() {
        Thread running;
        synchronized (this) {
            running = thread;
            status.stopping = true;
        }
        if (running == null) {
            return;
        }
        status.wakeUp();
        try {
            running.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            thread = null;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** @return whether the runner's thread is alive */
    public boolean isRunning() {
        Thread running = thread;
        return running != null && running.isAlive();
    }

    /**
     * Asks the leading runner (this one, if it leads) to reset this version's read model and checkpoint and rebuild
     * it from the first event. Queries of this version see the read model refill.
     */
    public void rebuild() {
        rebuildRequested.set(true);
        status.wakeUp();
    }

    /** @return this version's dead letters, oldest first */
    public List<DeadLetter> deadLetters() {
        return projections.deadLetters(name, version);
    }

    /**
     * Marks every pending dead letter for replay; the leading runner applies them again at its next idle moment, in
     * one transaction each, without moving the checkpoint. A replay that fails leaves the letter pending.
     *
     * @return how many were marked
     */
    public int requestReplay() {
        int marked = projections.requestReplay(name, version);
        status.askForHousekeeping();
        return marked;
    }

    /**
     * Marks one pending dead letter for replay, like {@link #requestReplay()} does for all of them.
     *
     * @param deadLetterId the dead letter's {@link DeadLetter#id()}
     * @return whether it was marked (false if it is not this version's or not pending)
     */
    public boolean requestReplay(long deadLetterId) {
        boolean marked = projections.requestReplay(name, version, deadLetterId);
        status.askForHousekeeping();
        return marked;
    }

    /**
     * Sets one pending dead letter aside for good: the event is never applied by this version, and the letter no
     * longer counts as pending.
     *
     * @param deadLetterId the dead letter's {@link DeadLetter#id()}
     * @return whether it was skipped (false if it is not this version's or not pending)
     */
    public boolean skip(long deadLetterId) {
        return projections.skip(name, version, deadLetterId);
    }

    /** @return events this runner applied since it was built; cheap (no I/O), for metrics */
    public long eventsProcessed() {
        return status.processed.sum();
    }

    /** @return what this runner is doing now; cheap (no I/O), for metrics and probes */
    public ProjectionState state() {
        return status.state;
    }

    /** @return the checkpoint of this version, from the projection store */
    public LogPosition position() {
        return projections.checkpoint(name, version);
    }

    /**
     * Read-your-writes: waits until this projection version has applied everything up to {@code target} (an append's
     * {@link dev.eventfold.eventstore.AppendResult#lastLogPosition()}), or has nothing to apply there because the
     * events up to {@code target} are outside its filter. Works on every replica: it reads the shared checkpoint.
     *
     * @param target a log position
     * @param timeout how long to wait at most
     * @return whether the projection got there in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitPosition(LogPosition target, Duration timeout) throws InterruptedException {
        LogProgress.required(target);
        // When this runner leads, the checkpoint it committed answers without I/O, and while it is still working (no
        // catch-up since the last check, within the first three pauses of 2, 4 and 8 ms) nothing else is asked: its
        // next commit ends the wait. Once it has caught up without getting there (the target is outside its filter,
        // or not readable yet), or later, the shared checkpoint is read, so a wait works on every replica; another
        // replica's leader is polled for. The last check, at the deadline, always reads.
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidRequestException("a non-negative timeout is required");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] checks = {0};
        long[] caughtUps = {status.caughtUps()};
        return LogProgress.await(() -> {
            LogPosition led = status.led();
            if (led != null && led.compareTo(target) >= 0) {
                return true;
            }
            long now = status.caughtUps();
            boolean caughtUp = now != caughtUps[0];
            caughtUps[0] = now;
            if (led != null && !caughtUp && checks[0]++ < 3 && System.nanoTime() - deadline < 0) {
                return false;
            }
            return LogProgress.hasPassed(store, filter, projections.checkpoint(name, version), target);
        }, () -> true, timeout, status.commits);
    }

    /**
     * @return this runner's view of the projection version; reads the stores (checkpoint, lag, dead letters)
     */
    public ProjectionStatus status() {
        Optional<ProjectionStore.StoredStatus> stored = projections.storedStatus(name, version);
        LogPosition checkpoint = stored.map(ProjectionStore.StoredStatus::checkpoint).orElse(LogPosition.START);
        long lagEvents = 0;
        Duration lag = Duration.ZERO;
        LogPosition after = checkpoint;
        while (lagEvents < LAG_COUNT_LIMIT) {
            List<RecordedEvent> page = store.readAll(after, filter, store.limits().maxEventsPerRead());
            if (page.isEmpty()) {
                break;
            }
            if (lagEvents == 0) {
                Duration waited = Duration.between(page.get(0).recordedAt(), clock.instant());
                lag = waited.isNegative() ? Duration.ZERO : waited;
            }
            lagEvents += page.size();
            after = page.get(page.size() - 1).logPosition();
        }
        long pending = projections.deadLetters(name, version).stream()
                .filter(d -> d.status() == DeadLetter.Status.PENDING
                        || d.status() == DeadLetter.Status.REPLAY_REQUESTED).count();
        ProjectionState recorded = stored.map(ProjectionStore.StoredStatus::state).orElse(ProjectionState.STOPPED);
        String lastError = status.lastError;
        String error = lastError != null ? lastError : stored.map(ProjectionStore.StoredStatus::lastError)
                .orElse(null);
        return new ProjectionStatus(name, version, projections.activeVersion(name), status.state, recorded,
                checkpoint, Math.min(lagEvents, LAG_COUNT_LIMIT), lag, error, status.processed.sum(), pending);
    }

    @Override
    public String toString() {
        return "ProjectionRunner[" + name + " v" + version + ", " + status.state + "]";
    }

    /**
     * Builds a {@link ProjectionRunner}; every setting is validated here, naming it. Not thread-safe.
     *
     * <table>
     *   <caption>Settings and defaults</caption>
     *   <tr><th>setting</th><th>default</th></tr>
     *   <tr><td>{@code version}</td><td>1 (1 or more)</td></tr>
     *   <tr><td>{@code batchSize}</td><td>100 (1 to the store's maxEventsPerRead): events per transaction</td></tr>
     *   <tr><td>{@code retry}</td><td>{@link RetryPolicy#defaults()}: 5 attempts, 100 ms doubling to 30 s</td></tr>
     *   <tr><td>{@code onFailure}</td><td>{@link FailurePolicy#CONTINUE}</td></tr>
     *   <tr><td>{@code pollInterval}</td><td>500 ms (10 ms to 1 min): the longest wait between reads when idle</td></tr>
     *   <tr><td>{@code leaseRetryInterval}</td><td>1 s (10 ms to 1 min): how often a standby tries to take over</td></tr>
     *   <tr><td>{@code clock}, {@code sleeper}</td><td>system time</td></tr>
     *   <tr><td>{@code listener}</td><td>{@link ProjectionListener#NONE}</td></tr>
     * </table>
     *
     * @param <T> the transaction type
     */
    public static final class Builder<T> {
        private final EventStore store;
        private final ProjectionStore<T> projections;
        private final String name;
        private final Projection<T> projection;
        private int version = 1;
        private int batchSize = 100;
        private RetryPolicy retry = RetryPolicy.defaults();
        private FailurePolicy failurePolicy = FailurePolicy.CONTINUE;
        private Duration pollInterval = Duration.ofMillis(500);
        private Duration leaseRetryInterval = Duration.ofSeconds(1);
        private InstantSource clock = InstantSource.system();
        private Sleeper sleeper = Sleeper.system();
        private ProjectionListener listener = ProjectionListener.NONE;

        private Builder(EventStore store, ProjectionStore<T> projections, String name, Projection<T> projection) {
            if (store == null || projections == null || projection == null) {
                throw new InvalidRequestException("store, projections and projection must not be null");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidRequestException("projection name must be 1 to 100 characters of a-z, 0-9, '_', '.',"
                        + " '-', starting with a letter or digit, was '" + name + "'");
            }
            this.store = store;
            this.projections = projections;
            this.name = name;
            this.projection = projection;
        }

        /**
         * @param value told of each applied and failed event, each committed batch and each dead letter, e.g. for
         *     metrics and tracing (default none)
         * @return this builder
         * @throws InvalidRequestException if null
         */
        public Builder<T> listener(ProjectionListener value) {
            if (value == null) {
                throw new InvalidRequestException("listener must not be null");
            }
            listener = value;
            return this;
        }

        /**
         * @param value the read-model version, 1 or more
         * @return this builder
         */
        public Builder<T> version(int value) {
            if (value < 1) {
                throw new InvalidRequestException("version must be 1 or more, was " + value);
            }
            this.version = value;
            return this;
        }

        /**
         * @param value events per transaction, 1 or more (capped at the store's maxEventsPerRead)
         * @return this builder
         */
        public Builder<T> batchSize(int value) {
            if (value < 1) {
                throw new InvalidRequestException("batchSize must be 1 or more, was " + value);
            }
            this.batchSize = value;
            return this;
        }

        /**
         * @param value the retry policy for rejected events
         * @return this builder
         */
        public Builder<T> retry(RetryPolicy value) {
            if (value == null) {
                throw new InvalidRequestException("retry must not be null");
            }
            this.retry = value;
            return this;
        }

        /**
         * @param value what to do with an event that keeps failing
         * @return this builder
         */
        public Builder<T> onFailure(FailurePolicy value) {
            if (value == null) {
                throw new InvalidRequestException("onFailure must not be null");
            }
            this.failurePolicy = value;
            return this;
        }

        /**
         * @param value the longest wait between reads when caught up, 10 ms to 1 min
         * @return this builder
         */
        public Builder<T> pollInterval(Duration value) {
            this.pollInterval = between("pollInterval", value);
            return this;
        }

        /**
         * @param value how often a standby runner tries to take over, 10 ms to 1 min
         * @return this builder
         */
        public Builder<T> leaseRetryInterval(Duration value) {
            this.leaseRetryInterval = between("leaseRetryInterval", value);
            return this;
        }

        /**
         * @param value the clock for lag and dead-letter times
         * @return this builder
         */
        public Builder<T> clock(InstantSource value) {
            if (value == null) {
                throw new InvalidRequestException("clock must not be null");
            }
            this.clock = value;
            return this;
        }

        /**
         * @param value how the runner waits (backoff, polls)
         * @return this builder
         */
        public Builder<T> sleeper(Sleeper value) {
            if (value == null) {
                throw new InvalidRequestException("sleeper must not be null");
            }
            this.sleeper = value;
            return this;
        }

        private static Duration between(String setting, Duration value) {
            if (value == null || value.compareTo(LogSignal.MIN_POLL) < 0 || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new InvalidRequestException(setting + " must be between 10 ms and 1 min, was " + value);
            }
            return value;
        }

        /** @return the runner, not started */
        public ProjectionRunner<T> build() {
            return new ProjectionRunner<>(this);
        }
    }
}
