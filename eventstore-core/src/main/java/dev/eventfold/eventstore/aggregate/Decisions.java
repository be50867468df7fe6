package dev.eventfold.eventstore.aggregate;

import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Metadata;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.serialization.EventTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The deciding side of an {@link AggregateRepository}: a command decided on the state its {@link StateLoader} gives,
 * a decision made on a cached state checked against the stored version before it is trusted, the decision appended
 * with the version it was made on, and decided again on a conflict. Thread-safe.
 *
 * @param <C> the command type
 * @param <S> the state type
 * @param <E> the event type
 */
final class Decisions<C, S, E> {

    private final EventStore store;
    private final Decider<C, S, E> decider;
    private final EventTypes<E> types;
    private final StateLoader<S, E> loader;
    /** Null when snapshots are off. */
    private final SnapshotKeeper<S> snapshots;
    private final int maxAttempts;
    private final AggregateListener listener;
    private final Consumer<Runnable> notify;

    final LongAdder conflicts = new LongAdder();

    Decisions(EventStore store, Decider<C, S, E> decider, EventTypes<E> types, StateLoader<S, E> loader,
            SnapshotKeeper<S> snapshots, int maxAttempts, AggregateListener listener, Consumer<Runnable> notify) {
        this.store = store;
        this.decider = decider;
        this.types = types;
        this.loader = loader;
        this.snapshots = snapshots;
        this.maxAttempts = maxAttempts;
        this.listener = listener;
        this.notify = notify;
    }

    /** {@link AggregateRepository#handleOn}, arguments checked. */
    CommandResult<S, E> handle(String streamId, Function<? super S, ? extends C> commandFor,
            ExpectedVersion expected, Metadata metadata) {
        WrongExpectedVersionException lastConflict = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            StateLoader.Loaded<S> loaded = loader.loadLatest(streamId, attempt == 1, false);
            C command;
            try {
                command = command(commandFor, loaded.state());
            } catch (RuntimeException rejected) {
                if (!loaded.fromCache() || loader.isCurrent(streamId, loaded)) {
                    throw rejected;
                }
                loaded = loader.loadLatest(streamId, false, false);
                command = command(commandFor, loaded.state());
            }
            if (!expected.isSatisfiedBy(loaded.version())) {
                if (loaded.fromCache()) {
                    loader.invalidate(streamId);
                    loaded = loader.loadLatest(streamId, false, false);
                    command = command(commandFor, loaded.state());
                }
                if (!expected.isSatisfiedBy(loaded.version())) {
                    throw new WrongExpectedVersionException(streamId, expected, loaded.version());
                }
            }
            List<E> events;
            try {
                events = List.copyOf(decider.decide(command, loaded.state()));
            } catch (RuntimeException rejected) {
                if (!loaded.fromCache() || loader.isCurrent(streamId, loaded)) {
                    throw rejected;
                }
                // A rejection on a stale cached state would be a wrong answer: decide again on the stored state.
                loaded = loader.loadLatest(streamId, false, false);
                events = List.copyOf(decider.decide(command(commandFor, loaded.state()), loaded.state()));
            }
            if (events.isEmpty() && loaded.fromCache() && !loader.isCurrent(streamId, loaded)) {
                loaded = loader.loadLatest(streamId, false, false);
                events = List.copyOf(decider.decide(command(commandFor, loaded.state()), loaded.state()));
            }
            if (events.isEmpty()) {
                return new CommandResult<>(streamId, loaded.state(), loaded.version(), List.of(), null, attempt);
            }
            AppendResult appended;
            try {
                appended = store.append(streamId, loaded.version() < 0 ? ExpectedVersion.noStream()
                        : ExpectedVersion.exactly(loaded.version()), eventData(events, metadata));
            } catch (WrongExpectedVersionException conflict) {
                loader.invalidate(streamId);
                conflicts.increment();
                int lost = attempt;
                notify.accept(() -> listener.conflict(streamId, lost));
                lastConflict = conflict;
                continue;
            }
            S state = decider.fold(loaded.state(), events);
            long version = appended.nextExpectedVersion();
            long snapshotVersion = loaded.snapshotVersion();
            if (snapshots != null && snapshots.afterAppend(streamId, state, snapshotVersion, version)) {
                snapshotVersion = version;
            }
            loader.remember(streamId, new StateLoader.Loaded<>(state, version, snapshotVersion, false));
            return new CommandResult<>(streamId, state, version, events, appended.lastLogPosition(), attempt);
        }
        throw lastConflict;
    }

    private List<EventData> eventData(List<E> events, Metadata metadata) {
        List<EventData> data = new ArrayList<>(events.size());
        for (E event : events) {
            data.add(types.toEventData(event, metadata));
        }
        return data;
    }

    private C command(Function<? super S, ? extends C> commandFor, S state) {
        C command = commandFor.apply(state);
        if (command == null) {
            throw new InvalidRequestException("the command made from the state must not be null");
        }
        return command;
    }
}
