package dev.eventfold.eventstore.projection;

import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ProjectionListener#all}: tells each listener; what one throws is logged and the next still hears. */
final class CompositeProjectionListener implements ProjectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeProjectionListener.class);

    private final List<ProjectionListener> listeners;

    CompositeProjectionListener(ProjectionListener... listeners) {
        if (listeners == null || java.util.Arrays.stream(listeners).anyMatch(java.util.Objects::isNull)) {
            throw new InvalidRequestException("listeners must not be null");
        }
        this.listeners = List.of(listeners);
    }

    private void each(Consumer<ProjectionListener> call) {
        for (ProjectionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("projection listener {} failed: {}", listener, e.toString());
            }
        }
    }

    @Override
    public void eventApplied(String projection, int version, RecordedEvent event, Duration took) {
        each(l -> l.eventApplied(projection, version, event, took));
    }

    @Override
    public void eventFailed(String projection, int version, RecordedEvent event, int attempt, String error) {
        each(l -> l.eventFailed(projection, version, event, attempt, error));
    }

    @Override
    public void batchCommitted(String projection, int version, List<RecordedEvent> events, Duration took) {
        each(l -> l.batchCommitted(projection, version, events, took));
    }

    @Override
    public void deadLettered(String projection, int version, RecordedEvent event, String error) {
        each(l -> l.deadLettered(projection, version, event, error));
    }
}
