package dev.eventfold.eventstore.internal;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStoreException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a store's append and tells its {@link AppendListener} how it went; what the listener throws is logged. */
public final class Appends {

    private static final Logger LOG = LoggerFactory.getLogger(Appends.class);

    private Appends() {
    }

    /** What a store's append did: its result, and whether it only answered a retry. */
    public record Outcome(AppendResult result, boolean replayed) {
    }

    /** A store's append. */
    @FunctionalInterface
    public interface Body {
        /** @return what the append did */
        Outcome run();
    }

    /**
     * @param listener the listener ({@link AppendListener#NONE} costs nothing)
     * @param streamId the stream
     * @param events the events as given
     * @param body the append
     * @return the append's result
     */
    public static AppendResult observed(AppendListener listener, String streamId, List<EventData> events, Body body) {
        if (listener == AppendListener.NONE) {
            return body.run().result();
        }
        long started = System.nanoTime();
        Outcome outcome;
        try {
            outcome = body.run();
        } catch (EventStoreException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            try {
                listener.failed(streamId, events == null ? List.of() : events, e, took);
            } catch (RuntimeException failure) {
                LOG.warn("append listener failed: {}", failure.toString());
            }
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        try {
            listener.appended(streamId, events, outcome.result(), outcome.replayed(), took);
        } catch (RuntimeException failure) {
            LOG.warn("append listener failed: {}", failure.toString());
        }
        return outcome.result();
    }
}
