package dev.eventfold.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Readiness and the drain on shutdown: whether the server takes requests, and how many are in flight. Once draining,
 * API requests are answered 503 (with {@code Retry-After} and {@code Connection: close}) while the ones in flight
 * finish.
 */
public final class Drain {

    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Marks the server ready (after start). */
    public void ready() {
        ready.set(true);
    }

    /** @return whether the server takes requests */
    public boolean accepting() {
        return ready.get() && !draining.get();
    }

    boolean draining() {
        return draining.get();
    }

    void entered() {
        inFlight.incrementAndGet();
    }

    void left() {
        inFlight.decrementAndGet();
    }

    /** @return requests in flight */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Stops taking requests and waits for the ones in flight, then one more second at most (clients and load
     * balancers that have not seen readiness turn false yet get an answer rather than a closed connection).
     *
     * @param grace how long in-flight requests may take
     * @return requests still in flight when the grace period ended (0 when all finished)
     */
    public int drain(Duration grace) {
        ready.set(false);
        draining.set(true);
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
        if (inFlight.get() == 0) {
            long quiet = Math.min(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
            if (quiet > 0) {
                LockSupport.parkNanos(quiet);
            }
        }
        return inFlight.get();
    }
}
