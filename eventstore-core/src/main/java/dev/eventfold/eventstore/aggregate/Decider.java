package dev.eventfold.eventstore.aggregate;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * An aggregate as three pure functions: where its state starts, how an event changes it, and which events a
 * command produces from it. A decider does no I/O and reads no clock (time comes in the command), so it is tested with
 * plain given-events / when-command / then-events tables. {@link AggregateRepository} does the loading and storing.
 *
 * <p>A command the state does not allow is rejected by throwing the domain's own exception type from
 * {@link #decide}; the repository lets it through unchanged and appends nothing.
 *
 * <p>States must be immutable: the repository caches them and hands the same instance to several threads.
 *
 * @param <C> the command type
 * @param <S> the state type
 * @param <E> the event type
 */
public interface Decider<C, S, E> {

    /** @return the state of an aggregate with no events */
    S initialState();

    /**
     * @param state the current state
     * @param event an event that happened
     * @return the state after the event; total: must accept any stored event
     */
    S evolve(S state, E event);

    /**
     * @param command what is asked
     * @param state the current state
     * @return the events that record the decision, possibly none (the command changes nothing)
     */
    List<E> decide(C command, S state);

    /**
     * @param state a state
     * @param events events in order
     * @return the state after all of them
     */
    default S fold(S state, List<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }

    /**
     * A decider from three functions.
     *
     * @param initialState supplies the initial state
     * @param evolve the evolve function
     * @param decide the decide function
     * @param <C> the command type
     * @param <S> the state type
     * @param <E> the event type
     * @return the decider
     */
    static <C, S, E> Decider<C, S, E> of(Supplier<S> initialState, BiFunction<S, E, S> evolve,
            BiFunction<C, S, List<E>> decide) {
        return new Decider<>() {
            @Override
            public S initialState() {
                return initialState.get();
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }

            @Override
            public List<E> decide(C command, S state) {
                return decide.apply(command, state);
            }
        };
    }
}
