package dev.eventfold.server.http;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for new orders, as {@link UUID#randomUUID()} makes them but without its JDK-wide lock: each
 * thread draws {@link SecureRandom} bytes for 32 ids at a time. Under load on few cores a thread preempted while
 * holding that lock made the request threads queue for up to a second (JFR, docs/performance.md "HTTP load").
 */
final class RandomIds {

    private static final int IDS_PER_DRAW = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<ByteBuffer> BITS = ThreadLocal.withInitial(
            () -> ByteBuffer.allocate(IDS_PER_DRAW * 16).position(IDS_PER_DRAW * 16));

    private RandomIds() {
    }

    static UUID next() {
        ByteBuffer bits = BITS.get();
        if (!bits.hasRemaining()) {
            RANDOM.nextBytes(bits.array());
            bits.clear();
        }
        long high = bits.getLong() & ~0xF000L | 0x4000L;
        long low = bits.getLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
