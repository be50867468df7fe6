package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.LogWatch;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which watchers a signal wakes: by category, every one when the categories are not known, and the wide window. */
class WakeupTest {

    private final AtomicLong now = new AtomicLong(-5_000_000_000L); // any origin: System.nanoTime() may be negative
    private final Wakeup wakeup = new Wakeup(now::get);
    private final AtomicInteger orders = new AtomicInteger();
    private final AtomicInteger audits = new AtomicInteger();
    private final AtomicInteger all = new AtomicInteger();

    WakeupTest() {
        wakeup.watch("order", orders::incrementAndGet);
        wakeup.watch("audit", audits::incrementAndGet);
        wakeup.watch(null, all::incrementAndGet);
    }

    @Test
    void a_watcher_of_one_category_is_woken_by_its_own_appends_and_by_unknown_ones() {
        wakeup.signal(Set.of("customer"));
        assertThat(orders.get()).as("nothing of its own yet: not woken by another category").isZero();
        assertThat(all.get()).isEqualTo(1);

        wakeup.signal(Set.of("order"));
        assertThat(orders.get()).isEqualTo(1);
        assertThat(audits.get()).isZero();

        wakeup.signal(null);
        assertThat(orders.get()).isEqualTo(2);
        assertThat(audits.get()).as("categories not known: everyone").isEqualTo(1);
        assertThat(all.get()).isEqualTo(3);
    }

    @Test
    void after_a_signal_of_its_own_a_watcher_hears_every_signal_for_a_while() {
        wakeup.signal(Set.of("order"));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(60));
        wakeup.signal(Set.of("customer"));
        assertThat(orders.get()).as("an older transaction of another category may have held its event back")
                .isEqualTo(2);
        assertThat(audits.get()).isZero();

        now.addAndGet(Wakeup.WIDE_NANOS);
        wakeup.signal(Set.of("customer"));
        assertThat(orders.get()).as("the window has closed").isEqualTo(2);
    }

    @Test
    void the_same_runnable_registered_twice_is_closed_once_each() {
        AtomicInteger calls = new AtomicInteger();
        Runnable wake = calls::incrementAndGet;
        LogWatch first = wakeup.watch(null, wake);
        wakeup.watch(null, wake);

        first.close();
        first.close();
        wakeup.signal();

        assertThat(calls.get()).as("the second registration still wakes").isEqualTo(1);
    }
}
