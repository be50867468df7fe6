package dev.eventfold.eventstore.micrometer;

import dev.eventfold.eventstore.AppendListener;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/** Meters of appends; see {@link EventStoreMetrics#appends()}. */
final class AppendMeters implements AppendListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final CategoryTags categories;

    AppendMeters(MeterRegistry registry, Tags tags, CategoryTags categories) {
        this.registry = registry;
        this.tags = tags;
        this.categories = categories;
    }

    @Override
    public void appended(String streamId, List<EventData> events, AppendResult result, boolean replayed,
            Duration took) {
        String category = categories.of(streamId);
        time(category, replayed ? "replayed" : "appended", took);
        if (replayed) {
            return;
        }
        long bytes = 0;
        for (EventData event : events) {
            bytes += event.payload().size();
        }
        DistributionSummary.builder("eventstore.append.events").description("Events per stored append")
                .baseUnit("events").tags(tags).tag("category", category).register(registry).record(events.size());
        DistributionSummary.builder("eventstore.append.payload.size").description("Payload bytes per stored append")
                .baseUnit("bytes").tags(tags).tag("category", category).register(registry).record(bytes);
    }

    @Override
    public void failed(String streamId, List<EventData> events, EventStoreException error, Duration took) {
        // An invalid request may carry any stream id: it never becomes a category tag.
        String category = error instanceof InvalidRequestException ? "none" : categories.of(streamId);
        time(category, outcome(error), took);
    }

    private void time(String category, String outcome, Duration took) {
        Timer.builder("eventstore.append.duration").description("Appends by outcome, and how long they took")
                .tags(tags).tag("category", category).tag("outcome", outcome).register(registry).record(took);
    }

    static String outcome(EventStoreException error) {
        if (error instanceof WrongExpectedVersionException) {
            return "conflict";
        }
        if (error instanceof DuplicateEventException) {
            return "duplicate";
        }
        if (error instanceof StreamDeletedException) {
            return "deleted";
        }
        if (error instanceof InvalidRequestException) {
            return "invalid";
        }
        if (error instanceof EventStoreUnavailableException) {
            return "unavailable";
        }
        return "error";
    }
}
