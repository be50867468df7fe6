package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.audit.Administration;
import dev.eventfold.eventstore.audit.AuditEntry;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.config.RetentionPolicies;
import dev.eventfold.server.metrics.ServerMetrics;
import dev.eventfold.server.readmodel.OrderQueries;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The audited administrative actions (GDPR and SOX, {@code docs/compliance.md}): forget a customer's personal data
 * ({@code DELETE /api/customers/{customerId}/personal-data}), tombstone, soft-delete or restore an order stream
 * ({@code POST /api/admin/orders/{id}/tombstone}, {@code .../soft-delete}, {@code .../restore}), and read the audit
 * trail ({@code GET /api/admin/audit}). Every route needs the
 * admin role and every action a reason; each answer lists what was done and the audit entry that records it.
 */
public final class ComplianceRoutes {

    /** The personal fields of an order, as the API names them: what forgetting a customer erases. */
    static final List<String> ERASED_FIELDS = List.of("customer.name", "customer.email", "customer.shippingAddress");
    private static final Pattern CUSTOMER_ID = Pattern.compile("[^\\p{Cntrl}]{1,100}");

    private final Administration admin;
    private final PersonalDataProtection protection;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final OrderQueries queries;
    private final EventStore store;
    private final ServerMetrics metrics;
    private final List<RetentionPolicy> retention;

    /**
     * @param admin the audited path
     * @param protection the customers' keys
     * @param orders the order repository, whose cached states are dropped with the data they hold
     * @param queries the read models (how many orders a customer has)
     * @param store the event store (an order stream's version)
     * @param metrics where actions are counted
     * @param retention the configured retention policies (run now by {@code POST /api/admin/retention/run})
     */
    public ComplianceRoutes(Administration admin, PersonalDataProtection protection,
            AggregateRepository<OrderCommand, Order, OrderEvent> orders, OrderQueries queries, EventStore store,
            ServerMetrics metrics, List<RetentionPolicy> retention) {
        this.retention = List.copyOf(retention);
        this.admin = admin;
        this.protection = protection;
        this.orders = orders;
        this.queries = queries;
        this.store = store;
        this.metrics = metrics;
    }

    record ReasonBody(String reason) {
    }

    record StreamActionBody(String reason, Long expectedVersion) {
    }

    record RetentionBody(String reason, List<String> policies) {
    }

    /**
     * {@code POST /api/admin/retention/run}: the given policies (or the configured ones) now; every policy is checked
     * before any runs.
     */
    void retention(Context ctx) {
        Caller caller = Requests.admin(ctx, "running retention");
        RetentionBody body = Json.body(ctx, RetentionBody.class);
        String reason = checkReason(body.reason());
        List<RetentionPolicy> policies = new ArrayList<>();
        if (body.policies() == null) {
            policies.addAll(retention);
        } else {
            for (int i = 0; i < body.policies().size(); i++) {
                try {
                    policies.add(RetentionPolicies.parse(body.policies().get(i)));
                } catch (InvalidRequestException e) {
                    throw refused(Administration.RETENTION, ApiException.invalid("policies[" + i + "]",
                            e.getMessage()));
                }
            }
        }
        if (policies.isEmpty()) {
            throw refused(Administration.RETENTION, ApiException.invalid("policies", "are required: none are "
                    + "configured (retention.policies) and none were given"));
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RetentionPolicy policy : policies) {
            Administration.RetentionRun run = admin.applyRetention(policy, caller.subject(), reason);
            List<Map<String, Object>> removed = new ArrayList<>();
            for (var removal : run.removed()) {
                removed.add(Map.of("streamId", removal.streamId(), "fromVersion", removal.fromVersion(),
                        "toVersion", removal.toVersion() - 1));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("policy", policy.toString());
            json.put("events", run.events());
            json.put("removed", removed);
            json.put("audit", run.entry() == null ? null : entry(run.entry()));
            runs.add(json);
        }
        metrics.adminAction(Administration.RETENTION, "done");
        OrderJson.json(ctx, Map.of("runs", runs, "archived", "removed events are kept in the events archive"));
    }

    /** {@code DELETE /api/customers/{customerId}/personal-data}: crypto-shredding of one customer. */
    void forget(Context ctx) {
        Caller caller = Requests.admin(ctx, "forgetting a customer's personal data");
        String customerId = ctx.pathParam("customerId");
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw refused(Administration.FORGET, ApiException.notFound("no customer with that id"));
        }
        String reason = reason(ctx);
        int keys = protection.keyCount(customerId);
        Optional<Instant> before = protection.forgottenAt(customerId);
        long orderCount = queries.countOrders(customerId);
        if (keys == 0 && before.isPresent()) {
            throw refused(Administration.FORGET, ApiException.of(409, "Conflict", "customer " + customerId
                    + "'s personal data was already forgotten at " + before.get() + " and none was given since; "
                    + "nothing was changed"));
        }
        if (keys == 0 && orderCount == 0) {
            throw refused(Administration.FORGET, ApiException.notFound("no customer " + customerId
                    + ": no orders and no personal data; nothing was changed"));
        }
        Administration.Erasure erasure = admin.forget(customerId, caller.subject(), reason);
        // At once here; the other replicas (and this one's follower, again) through the audit trail.
        orders.evictIf(order -> customerId.equals(order.customerId()));
        metrics.adminAction(Administration.FORGET, "done");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        body.put("keysDestroyed", erasure.keysDestroyed());
        body.put("ordersAffected", orderCount);
        body.put("erasedFields", ERASED_FIELDS);
        body.put("kept", List.of("order ids, lines, totals, statuses and times", "the customerId",
                "event metadata", "the audit entry"));
        body.put("cachesEvicted", "this replica at once, the others as the audit entry reaches them");
        body.put("previouslyForgottenAt", erasure.previouslyForgottenAt().map(Instant::toString).orElse(null));
        body.put("audit", entry(erasure.entry()));
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, body);
    }

    /** {@code POST /api/admin/orders/{id}/tombstone}: the stream is deleted for good and its id never reused. */
    void tombstone(Context ctx) {
        orderAction(ctx, Administration.TOMBSTONE, "tombstoned");
    }

    /** {@code POST /api/admin/orders/{id}/soft-delete}: hidden (410, and from lists) until restored. */
    void softDelete(Context ctx) {
        orderAction(ctx, Administration.SOFT_DELETE, "softDeleted");
    }

    /** {@code POST /api/admin/orders/{id}/restore}: a soft-deleted order is back as it was. */
    void restore(Context ctx) {
        orderAction(ctx, Administration.RESTORE, "restored");
    }

    private void orderAction(Context ctx, String action, String done) {
        Caller caller = Requests.admin(ctx, "the action " + action);
        String orderId = Params.orderId(ctx);
        StreamActionBody body = Json.body(ctx, StreamActionBody.class);
        String reason = checkReason(body.reason());
        if (body.expectedVersion() != null && (body.expectedVersion() < -1 || action.equals(Administration.RESTORE))) {
            throw ApiException.invalid("expectedVersion", action.equals(Administration.RESTORE)
                    ? "is not taken by a restore" : "must be -1 or more");
        }
        String streamId = orders.streamId(orderId);
        boolean hidden = false;
        long version;
        try {
            version = store.streamVersion(streamId);
        } catch (StreamDeletedException e) {
            if (!e.restorable()) {
                throw refused(action, ApiException.of(409, "Conflict", "order " + orderId + " was tombstoned; "
                        + "nothing was changed"));
            }
            hidden = true;
            version = -2;
        }
        if (version == -1) {
            throw refused(action, ApiException.notFound("order " + orderId + " does not exist; nothing was changed"));
        }
        if (hidden && action.equals(Administration.SOFT_DELETE)) {
            throw refused(action, ApiException.of(409, "Conflict", "order " + orderId + " is already soft-deleted; "
                    + "nothing was changed"));
        }
        if (!hidden && action.equals(Administration.RESTORE)) {
            throw refused(action, ApiException.of(409, "Conflict", "order " + orderId + " is not soft-deleted; "
                    + "nothing was changed"));
        }
        ExpectedVersion expected = body.expectedVersion() != null ? ExpectedVersion.of(body.expectedVersion())
                : hidden ? ExpectedVersion.any() : ExpectedVersion.exactly(version);
        AuditEntry entry;
        try {
            entry = switch (action) {
                case Administration.TOMBSTONE -> admin.tombstone(streamId, expected, caller.subject(), reason);
                case Administration.SOFT_DELETE -> admin.softDelete(streamId, expected, caller.subject(), reason);
                default -> admin.restore(streamId, caller.subject(), reason);
            };
        } catch (StreamDeletedException e) {
            throw refused(action, ApiException.of(409, "Conflict", "order " + orderId + " was "
                    + (e.restorable() ? "soft-deleted" : "tombstoned") + " meanwhile; nothing was changed"));
        } catch (dev.eventfold.eventstore.WrongExpectedVersionException e) {
            throw refused(action, ApiException.of(409, "Conflict", "order " + orderId + " is at version "
                    + e.actual() + ", not " + expected + "; nothing was changed"));
        }
        orders.evict(orderId);
        metrics.adminAction(action, "done");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("orderId", orderId);
        json.put("streamId", streamId);
        json.put("lastVersion", hidden ? null : version);
        json.put(done, true);
        json.put("audit", entry(entry));
        OrderJson.json(ctx, json);
    }

    /** {@code GET /api/admin/audit}: newest first, {@code limit} (default 50) before version {@code before}. */
    void audit(Context ctx) {
        Requests.admin(ctx, "reading the audit trail");
        int limit = (int) Params.number(ctx, "limit", 50, 1, 500);
        long before = Params.number(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        List<AuditEntry> entries = admin.trail().read(ReadDirection.BACKWARD,
                before == Long.MAX_VALUE ? EventStore.END : before - 1, limit);
        List<Map<String, Object>> json = new ArrayList<>();
        entries.forEach(e -> json.add(entry(e)));
        AuditEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stream", admin.trail().streamId());
        body.put("entries", json);
        body.put("nextBefore", last != null && entries.size() == limit && last.version() > 0 ? last.version() : null);
        ctx.header("Cache-Control", "no-store");
        OrderJson.json(ctx, body);
    }

    private ApiException refused(String action, ApiException problem) {
        metrics.adminAction(action, String.valueOf(problem.status));
        return problem;
    }

    /** The reason: a JSON body's {@code reason}, else the {@code reason} query parameter (a DELETE has no body). */
    private static String reason(Context ctx) {
        if (ctx.bodyAsBytes().length > 0) {
            return checkReason(Json.body(ctx, ReasonBody.class).reason());
        }
        return checkReason(ctx.queryParam("reason"));
    }

    private static String checkReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalid("reason", "is required: say why (a ticket or request number; no personal "
                    + "data), it goes into the audit trail");
        }
        if (reason.length() > AuditEntry.MAX_REASON_LENGTH) {
            throw ApiException.invalid("reason", "must be at most " + AuditEntry.MAX_REASON_LENGTH + " characters");
        }
        return reason.strip();
    }

    static Map<String, Object> entry(AuditEntry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", entry.version());
        json.put("at", entry.at().toString());
        json.put("action", entry.action());
        json.put("actor", entry.actor());
        json.put("reason", entry.reason());
        json.put("target", entry.target());
        json.put("details", entry.details());
        return json;
    }
}
