package dev.eventfold.eventstore.aggregate;

import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link AggregateListener#all}: tells each listener; what one throws is logged and the next still hears. */
final class CompositeAggregateListener implements AggregateListener {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeAggregateListener.class);

    private final List<AggregateListener> listeners;

    CompositeAggregateListener(AggregateListener... listeners) {
        if (listeners == null || java.util.Arrays.stream(listeners).anyMatch(java.util.Objects::isNull)) {
            throw new InvalidRequestException("listeners must not be null");
        }
        this.listeners = List.of(listeners);
    }

    private void each(Consumer<AggregateListener> call) {
        for (AggregateListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("aggregate listener {} failed: {}", listener, e.toString());
            }
        }
    }

    @Override
    public void loaded(String streamId, int eventsReplayed, boolean fromSnapshot, Duration took) {
        each(l -> l.loaded(streamId, eventsReplayed, fromSnapshot, took));
    }

    @Override
    public void cacheHit(String streamId) {
        each(l -> l.cacheHit(streamId));
    }

    @Override
    public void cacheMiss(String streamId) {
        each(l -> l.cacheMiss(streamId));
    }

    @Override
    public void conflict(String streamId, int attempt) {
        each(l -> l.conflict(streamId, attempt));
    }

    @Override
    public void snapshotWritten(String streamId, long version) {
        each(l -> l.snapshotWritten(streamId, version));
    }

    @Override
    public void snapshotIgnored(String streamId, int snapshotSchemaVersion, String reason) {
        each(l -> l.snapshotIgnored(streamId, snapshotSchemaVersion, reason));
    }

    @Override
    public void snapshotFailed(String streamId, long version, Throwable error) {
        each(l -> l.snapshotFailed(streamId, version, error));
    }
}
