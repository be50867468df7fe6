package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.internal.LogProgress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link ProjectionRunner} is doing, shared by the runner's thread, its {@link BatchApplier} and
 * {@link DeadLetterReplays}, and read by the public status methods: the state, the last error, whether it is stopping,
 * the count of applied events; and the ways they change (recorded in the projection store, logged) and the runner
 * waits (woken by {@link #wakeUp()}).
 */
final class RunnerStatus {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    final String name;
    final int version;
    final LongAdder processed = new LongAdder();
    volatile boolean stopping;
    volatile ProjectionState state = ProjectionState.STOPPED;
    volatile String lastError;
    /**
     * The checkpoint as this runner last wrote or read it while leading, null when it does not lead: a lower bound of
     * the stored checkpoint that {@code awaitPosition} can check without I/O.
     */
    private volatile LogPosition led;
    private final AtomicBoolean housekeeping = new AtomicBoolean();

    private final ProjectionStore<?> projections;
    private final Sleeper sleeper;
    private final Object wakeUp = new Object();
    /** Bumped when the store says the log may have grown; guarded by {@code wakeUp}. */
    private long appendSignals;
    /** Guards {@code commitCount}, bumped on every commit of a batch; callers of {@code awaitPosition} wait on it. */
    private final Object committed = new Object();
    private long commitCount;
    /** Guarded by {@code committed}: bumped each time the runner has read all that was readable and idles. */
    private long caughtUpCount;

    RunnerStatus(String name, int version, ProjectionStore<?> projections, Sleeper sleeper) {
        this.name = name;
        this.version = version;
        this.projections = projections;
        this.sleeper = sleeper;
    }

    /** Enters a state and records it; running again clears the last error. */
    void enter(ProjectionState next) {
        state = next;
        if (next == ProjectionState.RUNNING || next == ProjectionState.REBUILDING) {
            lastError = null;
        }
        record();
    }

    /** Stops for good in {@link ProjectionState#FAILED} with the error. */
    void fail(String error) {
        lastError = error;
        state = ProjectionState.FAILED;
        stopping = true;
        record();
    }

    /** Writes the state to the projection store, for the other replicas' status; a failure is only logged. */
    void record() {
        try {
            projections.recordState(name, version, state, lastError);
        } catch (RuntimeException e) {
            LOG.warn("projection={} version={} could not record state {}: {}", name, version, state, e.toString());
        }
    }

    /** A failure of the stores or the log: kept as the last error and logged; the caller retries. */
    void failure(String what, Exception e) {
        lastError = what + ": " + describe(e);
        LOG.warn("projection={} version={} {}", name, version, lastError);
    }

    /** Waits, unless stopping; {@link #wakeUp()} ends the wait early. */
    void pause(Duration duration) throws InterruptedException {
        if (!stopping) {
            sleeper.sleep(duration, wakeUp);
        }
    }

    /** @return how often the store said the log may have grown; read before a read of the log */
    long appendSignals() {
        synchronized (wakeUp) {
            return appendSignals;
        }
    }

    /** The store says the log may have grown (its {@code watchLog} call): ends an idle wait. */
    void appended() {
        synchronized (wakeUp) {
            appendSignals++;
            wakeUp.notifyAll();
        }
    }

    /**
     * An idle wait after a read that found nothing: none at all if the log may have grown since {@code seen} (what
     * {@link #appendSignals()} said before the read), else until the next signal, a {@link #wakeUp()} or
     * {@code duration}. The check and the wait hold the same monitor as {@link #appended()}, so no signal slips
     * between them.
     */
    void idle(Duration duration, long seen) throws InterruptedException {
        synchronized (committed) {
            caughtUpCount++; // read everything readable: a wait for a position it did not reach may ask the stores
            committed.notifyAll();
        }
        synchronized (wakeUp) {
            if (stopping || appendSignals != seen) {
                return;
            }
            sleeper.sleep(duration, wakeUp);
        }
    }

    /**
     * A batch was committed up to {@code to}: remembers it as this leader's checkpoint, then wakes the callers of
     * {@code awaitPosition} waiting in {@link #commits}.
     */
    void committed(LogPosition to) {
        led = to;
        synchronized (committed) {
            commitCount++;
            committed.notifyAll();
        }
    }

    /**
     * This runner's commits and catch-ups as a {@link LogProgress.Progress}: a wait for its checkpoint ends at its next
     * commit, or when it has read all that was readable without getting there.
     */
    final LogProgress.Progress commits = new LogProgress.Progress() {
        @Override
        public long seen() {
            synchronized (committed) {
                return commitCount + caughtUpCount;
            }
        }

        @Override
        public void await(long seen, long nanos) throws InterruptedException {
            synchronized (committed) {
                if (commitCount + caughtUpCount == seen) {
                    TimeUnit.NANOSECONDS.timedWait(committed, nanos);
                }
            }
        }
    };

    /** @return how often this runner caught up (read all that was readable) so far */
    long caughtUps() {
        synchronized (committed) {
            return caughtUpCount;
        }
    }

    /** @param at the checkpoint this runner now leads from, or null when it stops leading */
    void leading(LogPosition at) {
        led = at;
    }

    /** @return the checkpoint this runner last wrote or read while leading, null when it does not lead */
    LogPosition led() {
        return led;
    }

    /** Someone asked for a replay: the leader looks for requested replays at its next idle moment, then waits. */
    void askForHousekeeping() {
        housekeeping.set(true);
        wakeUp();
    }

    /** @return whether {@link #askForHousekeeping()} was called since the last call; clears the request */
    boolean housekeepingAsked() {
        return housekeeping.getAndSet(false);
    }

    /** Ends the current {@link #pause} at once (a stop, a rebuild or a replay was asked for). */
    void wakeUp() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Calls a listener; its failure is logged, never thrown. */
    void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("projection={} version={} listener failed: {}", name, version, e.toString());
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
