package dev.eventfold.eventstore.aggregate;

/**
 * An aggregate's state at a stream version. Immutable if {@code S} is.
 *
 * @param streamId the aggregate's stream
 * @param state the fold of events 0 to {@code version}
 * @param version the version of the last event folded in; -1 if the stream has no events
 * @param <S> the state type
 */
public record AggregateState<S>(String streamId, S state, long version) {

    /** @return whether the aggregate has any events */
    public boolean exists() {
        return version >= 0;
    }
}
