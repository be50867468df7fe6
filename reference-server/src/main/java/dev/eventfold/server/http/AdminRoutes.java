package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.postgres.ReaderHorizon;
import dev.eventfold.eventstore.projection.DeadLetter;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionStatus;
import dev.eventfold.orders.Orders;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /api/admin/projections}: the operator's view of the projections (status, position, lag, the store's reader
 * horizon), their dead letters with the failing event, and the actions on them (replay one or all, skip one,
 * rebuild). Every route needs the admin role.
 */
public final class AdminRoutes {

    private final Map<String, ProjectionRunner<?>> runners;
    private final EventStore store;
    private final Supplier<ReaderHorizon> horizon;

    /**
     * @param runners the projection runners, by name
     * @param store the event store (the failing event of a dead letter)
     * @param horizon the store's reader horizon
     */
    public AdminRoutes(List<ProjectionRunner<?>> runners, EventStore store, Supplier<ReaderHorizon> horizon) {
        this.runners = runners.stream().collect(Collectors.toMap(ProjectionRunner::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
        this.store = store;
        this.horizon = horizon;
    }

    /** {@code GET /api/admin/projections}. */
    void list(Context ctx) {
        Requests.admin(ctx, "seeing projections");
        List<Map<String, Object>> projections = new ArrayList<>();
        for (ProjectionRunner<?> runner : runners.values()) {
            projections.add(status(runner.status()));
        }
        ReaderHorizon readers = horizon.get();
        Map<String, Object> horizonJson = new LinkedHashMap<>();
        horizonJson.put("eventsHeldBack", readers.eventsHeldBack());
        horizonJson.put("lagSeconds", readers.lag(Instant.now()).toMillis() / 1000.0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("projections", projections);
        body.put("readerHorizon", horizonJson);
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, body);
    }

    /** {@code GET /api/admin/projections/{name}/dead-letters}: oldest first ({@code limit}, default 100), with events. */
    void deadLetters(Context ctx) {
        Requests.admin(ctx, "seeing dead letters");
        ProjectionRunner<?> runner = runner(ctx);
        int limit = (int) Params.number(ctx, "limit", 100, 1, 1000);
        List<DeadLetter> all = runner.deadLetters();
        List<Map<String, Object>> letters = new ArrayList<>();
        // Each letter's event is one read: only for the letters shown.
        for (DeadLetter letter : all.subList(0, Math.min(limit, all.size()))) {
            letters.add(letter(letter));
        }
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, Map.of("projection", runner.name(), "version", runner.version(), "total", all.size(),
                "deadLetters", letters));
    }

    /** {@code POST /api/admin/projections/{name}/dead-letters/replay}: every pending letter. */
    void replayAll(Context ctx) {
        Requests.admin(ctx, "replaying dead letters");
        int marked = runner(ctx).requestReplay();
        OrderJson.json(ctx.status(202), Map.of("replayRequested", marked));
    }

    /** {@code POST /api/admin/projections/{name}/dead-letters/{letterId}/{action}}: replay or skip one letter. */
    void letterAction(Context ctx) {
        String action = ctx.pathParam("action");
        Requests.admin(ctx, "changing a dead letter");
        ProjectionRunner<?> runner = runner(ctx);
        long id = Params.parseLong("letterId", ctx.pathParam("letterId"), 1, Long.MAX_VALUE);
        // The store moves only a pending letter of this version; reading the letters afterwards tells why not.
        boolean done = switch (action) {
            case "replay" -> runner.requestReplay(id);
            case "skip" -> runner.skip(id);
            default -> throw ApiException.notFound("no action '" + action + "' on a dead letter; use replay or skip");
        };
        DeadLetter letter = runner.deadLetters().stream().filter(d -> d.id() == id).findFirst()
                .orElseThrow(() -> ApiException.notFound("projection '" + runner.name() + "' v" + runner.version()
                        + " has no dead letter " + id));
        if (!done) {
            throw ApiException.of(409, "Conflict", "dead letter " + id + " is " + letter.status()
                    + ", not PENDING; only a pending letter can be replayed or skipped");
        }
        OrderJson.json(ctx.status("replay".equals(action) ? 202 : 200), letter(letter));
    }

    /** {@code POST /api/admin/projections/{name}/rebuild}: the leader resets the read model and refills it. */
    void rebuild(Context ctx) {
        Requests.admin(ctx, "rebuilding a projection");
        ProjectionRunner<?> runner = runner(ctx);
        runner.rebuild();
        OrderJson.json(ctx.status(202), status(runner.status()));
    }

    private ProjectionRunner<?> runner(Context ctx) {
        String name = ctx.pathParam("name");
        ProjectionRunner<?> runner = runners.get(name);
        if (runner == null) {
            throw ApiException.notFound("no projection named '" + (name.length() > 100 ? name.substring(0, 100) + "…"
                    : name) + "'; GET /api/admin/projections lists them");
        }
        return runner;
    }

    private static Map<String, Object> status(ProjectionStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", status.projection());
        json.put("version", status.version());
        json.put("activeVersion", status.activeVersion().isPresent() ? status.activeVersion().getAsInt() : null);
        json.put("state", status.state().name());
        json.put("recordedState", status.recordedState().name());
        json.put("position", status.position().toString());
        json.put("globalPosition", status.position().globalPosition());
        json.put("lagEvents", status.lagEvents());
        json.put("lagSeconds", status.lag().toMillis() / 1000.0);
        json.put("lastError", status.lastError());
        json.put("eventsProcessed", status.eventsProcessed());
        json.put("pendingDeadLetters", status.pendingDeadLetters());
        return json;
    }

    private Map<String, Object> letter(DeadLetter letter) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", letter.id());
        json.put("status", letter.status().name());
        json.put("error", letter.error());
        json.put("attempts", letter.attempts());
        json.put("failedAt", letter.failedAt().toString());
        json.put("position", letter.position().toString());
        json.put("streamId", letter.streamId());
        json.put("streamVersion", letter.streamVersion());
        json.put("eventId", letter.eventId().toString());
        json.put("eventType", letter.eventType());
        List<RecordedEvent> event = store.readStreamForward(letter.streamId(), letter.streamVersion(), 1);
        json.put("event", event.isEmpty() || !event.get(0).eventId().equals(letter.eventId()) ? null
                : OrderRoutes.eventJson(event.get(0)));
        return json;
    }
}
