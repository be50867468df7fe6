package dev.eventfold.eventstore.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Releases N callers together through a barrier and returns each caller's own outcome, so that a test can tell who
 * won and what each loser saw.
 */
public final class Race {

    /**
     * One caller's outcome: a value or the exception it threw.
     *
     * @param value the returned value, or null
     * @param failure the thrown exception, or null
     * @param <T> the value type
     */
    public record Outcome<T>(T value, Throwable failure) {
        /** @return whether the caller returned normally */
        public boolean succeeded() {
            return failure == null;
        }
    }

    private Race() {
    }

    /**
     * @param callers how many callers
     * @param task the task of caller {@code i}
     * @param <T> the value type
     * @return the outcomes, indexed by caller
     * @throws Exception if the race itself could not run (not if a caller failed)
     */
    public static <T> List<Outcome<T>> run(int callers, IntFunction<Callable<T>> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return new Outcome<>(work.call(), null);
                    } catch (Throwable t) {
                        return new Outcome<>(null, t);
                    }
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
