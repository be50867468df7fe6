package dev.eventfold.eventstore.tck.meta;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventHandler;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/** Stores with one deliberate defect each; the contract suites must catch every one of them. */
enum BrokenStore {

    /** Appends whatever the expected version says. */
    IGNORES_EXPECTED_VERSION(Set.of("Append", "Concurrency"), limits -> new ForwardingEventStore(limits) {
        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            return delegate.append(streamId, ExpectedVersion.any(), events);
        }
    }),

    /** Silently loses the last event of every batch of two or more. */
    DROPS_LAST_EVENT_OF_A_BATCH(Set.of("Append", "Read", "Idempotency"), limits -> new ForwardingEventStore(limits) {
        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            if (events != null && events.size() > 1 && wellFormed(events)) {
                return delegate.append(streamId, expected, events.subList(0, events.size() - 1));
            }
            return delegate.append(streamId, expected, events);
        }
    }),

    /** A naive log reader: skips some positions (as a {@code position > last} reader skips late commits). */
    SKIPS_EVENTS_IN_THE_LOG(Set.of("Read", "Subscription"), limits -> new ForwardingEventStore(limits) {
        private boolean skipped(RecordedEvent e) {
            return e.globalPosition() % 5 == 0;
        }

        @Override
        public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
            return delegate.readAll(after, filter, maxCount).stream().filter(e -> !skipped(e)).toList();
        }

        @Override
        public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
            return delegate.subscribe(after, filter, e -> {
                if (!skipped(e)) {
                    handler.handle(e);
                }
            });
        }
    }),

    /** Gives every appended event a new id, so a retried append is stored twice. */
    DUPLICATES_ON_RETRY(Set.of("Idempotency", "Concurrency"), limits -> new ForwardingEventStore(limits) {
        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            if (events == null || !wellFormed(events)) {
                return delegate.append(streamId, expected, events);
            }
            List<EventData> renamed = new ArrayList<>();
            for (EventData e : events) {
                renamed.add(e.withEventId(UUID.randomUUID()));
            }
            return delegate.append(streamId, expected, renamed);
        }
    }),

    /** Checks the expected version, then appends in a separate step: loses races between writers. */
    CHECKS_THEN_ACTS(Set.of("Concurrency"), limits -> new ForwardingEventStore(limits) {
        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            if (expected != null && streamId != null && limits.streamIdPattern().matcher(streamId).matches()) {
                long current = delegate.streamVersion(streamId);
                if (!expected.isSatisfiedBy(current)) {
                    throw new WrongExpectedVersionException(streamId, expected, current);
                }
                LockSupport.parkNanos(2_000_000);
                return delegate.append(streamId, ExpectedVersion.any(), events);
            }
            return delegate.append(streamId, expected, events);
        }
    }),

    /** Returns backward reads in forward order. */
    READS_BACKWARD_AS_FORWARD(Set.of("Read"), limits -> new ForwardingEventStore(limits) {
        @Override
        public List<RecordedEvent> readStream(String streamId, ReadDirection direction, long fromVersion,
                int maxCount) {
            List<RecordedEvent> page = delegate.readStream(streamId, direction, fromVersion, maxCount);
            if (direction != ReadDirection.BACKWARD) {
                return page;
            }
            List<RecordedEvent> reversed = new ArrayList<>(page);
            java.util.Collections.reverse(reversed);
            return reversed;
        }
    }),

    /** Delivers every event to a subscriber twice. */
    DELIVERS_TWICE(Set.of("Subscription"), limits -> new ForwardingEventStore(limits) {
        @Override
        public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
            return delegate.subscribe(after, filter, e -> {
                handler.handle(e);
                handler.handle(e);
            });
        }
    }),

    /** Honours nothing: every call fails. Every single test of every suite must fail against it. */
    HONOURS_NOTHING(Set.of("Append", "Read", "Idempotency", "Concurrency", "Subscription", "BadInput",
            "Deletion"), limits -> new NoopStore());

    /** The suites (by topic) that must each catch the defect. */
    final Set<String> caughtBy;
    final Function<EventStoreLimits, EventStore> factory;

    BrokenStore(Set<String> caughtBy, Function<EventStoreLimits, EventStore> factory) {
        this.caughtBy = caughtBy;
        this.factory = factory;
    }

    private static boolean wellFormed(List<EventData> events) {
        return events.stream().allMatch(java.util.Objects::nonNull);
    }

    /** Every call throws. */
    static final class NoopStore implements EventStore, StreamAdministration {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("this store honours nothing");
        }

        @Override
        public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
            throw refused();
        }

        @Override
        public List<RecordedEvent> readStream(String s, ReadDirection d, long from, int max) {
            throw refused();
        }

        @Override
        public List<RecordedEvent> readAll(LogPosition after, EventFilter filter, int maxCount) {
            throw refused();
        }

        @Override
        public Subscription subscribe(LogPosition after, EventFilter filter, EventHandler handler) {
            throw refused();
        }

        @Override
        public EventStoreLimits limits() {
            throw refused();
        }

        @Override
        public void tombstone(String streamId, ExpectedVersion expected) {
            throw refused();
        }

        @Override
        public boolean isDeleted(String streamId) {
            throw refused();
        }

        @Override
        public void softDelete(String streamId, ExpectedVersion expected) {
            throw refused();
        }

        @Override
        public void restore(String streamId) {
            throw refused();
        }

        @Override
        public boolean isSoftDeleted(String streamId) {
            throw refused();
        }

        @Override
        public void close() {
        }
    }
}
