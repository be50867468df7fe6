package dev.eventfold.eventstore.aggregate;

import dev.eventfold.eventstore.LogPosition;
import java.util.List;
import java.util.Optional;

/**
 * What handling a command did. Immutable if {@code S} and {@code E} are.
 *
 * @param streamId the aggregate's stream
 * @param state the state after the new events
 * @param version the stream version after the new events (-1 if the stream still has none)
 * @param events the new events, empty if the command changed nothing
 * @param position where the last new event sits in the log, {@code null} if nothing was appended; wait for a
 *     projection to pass it for read-your-writes
 * @param attempts how many times the command was decided (more than one after version conflicts)
 * @param <S> the state type
 * @param <E> the event type
 */
public record CommandResult<S, E>(String streamId, S state, long version, List<E> events, LogPosition position,
        int attempts) {

    /**
     * Copies {@code events}.
     *
     * @param streamId the aggregate's stream
     * @param state the state after the new events
     * @param version the stream version after the new events (-1 if the stream still has none)
     * @param events the new events, empty if the command changed nothing
     * @param position where the last new event sits in the log, {@code null} if nothing was appended
     * @param attempts how many times the command was decided
     */
    public CommandResult {
        events = List.copyOf(events);
    }

    /** @return whether events were appended */
    public boolean appended() {
        return !events.isEmpty();
    }

    /** @return {@link #position()} if anything was appended */
    public Optional<LogPosition> logPosition() {
        return Optional.ofNullable(position);
    }
}
