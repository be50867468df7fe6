package dev.eventfold.eventstore.audit;

import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention policies on a schedule, each run through {@link Administration#applyRetention} (so every run that
 * removes events is in the audit trail, with the job's name as the actor). A policy that fails (the database is
 * down, say) is logged and retried at the next run; the others still run. Several processes may run the same job:
 * each stream's cut is computed under its lock, so a second run removes nothing more. Thread-safe.
 *
 * <pre>{@code
 * RetentionJob job = RetentionJob.start(admin, List.of(RetentionPolicy.category("telemetry")
 *         .maxAge(Duration.ofDays(30)).build()), Duration.ofHours(1), "retention-job");
 * }</pre>
 */
public final class RetentionJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final Administration admin;
    private final List<RetentionPolicy> policies;
    private final String actor;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong eventsRemoved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private RetentionJob(Administration admin, List<RetentionPolicy> policies, String actor) {
        this.admin = admin;
        this.policies = List.copyOf(policies);
        this.actor = actor;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eventfold-retention");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the job: a first run after {@code every}, then one every {@code every}.
     *
     * @param admin the audited path (with a retention store)
     * @param policies the policies, applied in order at each run
     * @param every the time between runs, at least one second
     * @param actor the name the audit entries give as the actor
     * @return the running job; {@link #close} stops it
     * @throws InvalidRequestException if an argument is null or {@code every} is under a second
     */
    public static RetentionJob start(Administration admin, List<RetentionPolicy> policies, Duration every,
            String actor) {
        if (admin == null || policies == null || every == null || actor == null || actor.isBlank()) {
            throw new InvalidRequestException("admin, policies, every and actor are required");
        }
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidRequestException("retention runs at most once a second, was every " + every);
        }
        RetentionJob job = new RetentionJob(admin, policies, actor);
        job.scheduler.scheduleWithFixedDelay(job::runQuietly, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return job;
    }

    /**
     * Runs every policy now, on the caller's thread.
     *
     * @return what each policy removed (a failed policy is left out, logged and counted)
     */
    public synchronized List<Administration.RetentionRun> runNow() {
        List<Administration.RetentionRun> done = new ArrayList<>();
        for (RetentionPolicy policy : policies) {
            try {
                Administration.RetentionRun run = admin.applyRetention(policy, actor, "retention policy: " + policy);
                eventsRemoved.addAndGet(run.events());
                if (run.events() > 0) {
                    LOG.info("retention removed {} events from {} streams ({}); audit entry {}", run.events(),
                            run.removed().size(), policy, run.entry().version());
                }
                done.add(run);
            } catch (EventStoreException e) {
                failures.incrementAndGet();
                LOG.warn("retention of {} failed, retried at the next run: {}", policy, e.getMessage());
            }
        }
        runs.incrementAndGet();
        return done;
    }

    private void runQuietly() {
        try {
            runNow();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("retention run failed", e);
        }
    }

    /** @return runs completed */
    public long runs() {
        return runs.get();
    }

    /** @return events removed since the start */
    public long eventsRemoved() {
        return eventsRemoved.get();
    }

    /** @return policy runs that failed */
    public long failures() {
        return failures.get();
    }

    /** Stops the schedule; a run in progress finishes first (for up to 10 s). */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
