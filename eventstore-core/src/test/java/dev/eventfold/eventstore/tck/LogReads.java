package dev.eventfold.eventstore.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Reading the log page by page in tests, checking on every page that it is no longer than asked for. */
public final class LogReads {

    private LogReads() {
    }

    /**
     * Reads until the first empty page: the whole log when nothing else writes.
     *
     * @param store the store
     * @param filter which events
     * @param pageSize events per page
     * @return the events read, in log order
     */
    public static List<RecordedEvent> untilEmpty(EventStore store, EventFilter filter, int pageSize) {
        List<RecordedEvent> read = new ArrayList<>();
        LogPosition after = LogPosition.START;
        for (List<RecordedEvent> page; !(page = page(store, after, filter, pageSize)).isEmpty();) {
            read.addAll(page);
            after = page.get(page.size() - 1).logPosition();
        }
        return read;
    }

    /**
     * Reads until {@code expected} events were read, reading on past empty pages for up to {@code patience}, as a
     * subscriber does: on a gap-safe store an empty page means "nothing readable yet" while another session's
     * transaction is open, not the end of the log.
     *
     * @param store the store
     * @param filter which events
     * @param pageSize events per page
     * @param expected how many events to read
     * @param patience how long to go on reading past empty pages
     * @return the events read, in log order: fewer than {@code expected} if the time ran out
     */
    public static List<RecordedEvent> patiently(EventStore store, EventFilter filter, int pageSize, int expected,
            Duration patience) {
        List<RecordedEvent> read = new ArrayList<>();
        LogPosition after = LogPosition.START;
        long deadline = System.nanoTime() + patience.toNanos();
        while (read.size() < expected && System.nanoTime() < deadline) {
            List<RecordedEvent> page = page(store, after, filter, pageSize);
            if (page.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            read.addAll(page);
            after = page.get(page.size() - 1).logPosition();
        }
        return read;
    }

    private static List<RecordedEvent> page(EventStore store, LogPosition after, EventFilter filter, int pageSize) {
        List<RecordedEvent> page = store.readAll(after, filter, pageSize);
        assertThat(page).as("a page of the log after %s", after).hasSizeLessThanOrEqualTo(pageSize);
        return page;
    }
}
