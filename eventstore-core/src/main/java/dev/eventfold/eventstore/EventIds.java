package dev.eventfold.eventstore;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered event ids: UUID version 7 (RFC 9562) with a 12-bit counter in {@code rand_a} that keeps the ids one JVM
 * makes strictly increasing (RFC 9562 section 6.2, method 1).
 *
 * <p>Why not random ids: every append inserts its ids into the unique index that makes appends idempotent. Random ids
 * land on random leaf pages of that index, so once it outgrows the database's buffer cache most inserts read a page
 * from disk first; ids that grow with time all land on its rightmost pages. Measured with pgbench on an events table of
 * 8.6 million rows, 1.3–2× as many batches of 100 per second with time-ordered ids as with random ones
 * (docs/performance.md).
 *
 * <p>The last 62 bits come from {@link SecureRandom}, as in {@link UUID#randomUUID()}: two processes that make ids in
 * the same millisecond differ there. Each thread draws them 64 at a time: the JDK's default {@code SecureRandom}
 * (NativePRNG) serializes every call on one lock, and under CPU contention a thread preempted while holding it made
 * every request thread of the reference server wait, up to a second (JFR, docs/performance.md "HTTP load"). When one JVM makes more than 4,096 ids in a millisecond the counter carries into
 * the timestamp, which then runs ahead of the clock until the clock catches up; ids never repeat or go backwards.
 */
final class EventIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<ByteBuffer> RANDOM_BITS = ThreadLocal.withInitial(
            () -> ByteBuffer.allocate(64 * Long.BYTES).position(64 * Long.BYTES));
    private static final int COUNTER_BITS = 12;

    /** The last id's unix milliseconds shifted left by {@link #COUNTER_BITS}, plus its counter. */
    private static final AtomicLong LAST = new AtomicLong();

    private EventIds() {
    }

    static UUID next() {
        long now = System.currentTimeMillis() << COUNTER_BITS;
        long stamp = LAST.accumulateAndGet(now, (last, clock) -> clock > last ? clock : last + 1);
        return of(stamp >>> COUNTER_BITS, stamp & ((1 << COUNTER_BITS) - 1), randomBits());
    }

    /** 64 bits from this thread's share of {@link #RANDOM}, refilled 64 longs at a time. */
    private static long randomBits() {
        ByteBuffer bits = RANDOM_BITS.get();
        if (!bits.hasRemaining()) {
            RANDOM.nextBytes(bits.array());
            bits.clear();
        }
        return bits.getLong();
    }

    /** Lays out a version 7 id: 48 bits of milliseconds, the version, 12 counter bits, the variant, 62 random bits. */
    static UUID of(long unixMillis, long counter, long random) {
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter & 0xFFFL;
        long low = random & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
