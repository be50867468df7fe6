package dev.eventfold.eventstore;

/**
 * Receives the events of a {@link Subscription}, one at a time, in log order, on the subscription's own thread.
 *
 * <p>If {@link #handle} throws, the subscription stops: the event is not counted as delivered,
 * {@link Subscription#failure()} holds the exception, and a new subscription after {@link Subscription#position()}
 * will deliver that event again.
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * Handles one event.
     *
     * @param event the event
     * @throws Exception to stop the subscription
     */
    void handle(RecordedEvent event) throws Exception;
}
