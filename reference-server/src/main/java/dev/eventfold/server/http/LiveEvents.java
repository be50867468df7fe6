package dev.eventfold.server.http;

import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import dev.eventfold.server.auth.AuthException;
import dev.eventfold.server.auth.Caller;
import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.redis.Redis;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/events/live}: order events over a WebSocket, catch-up then live, in log order, resumable.
 *
 * <p>Query: {@code token} (or an {@code Authorization} header), {@code orderId} (one order; required for customers,
 * who see only their own), {@code after} (a {@code position} from an earlier message, to resume; default: from the
 * first event). Each message is a JSON object: position, orderId, version, type, recordedAt, data. Close codes: 4401
 * unauthenticated, 4403 not allowed, 4400 bad query, 4429 too many connections of this caller (at most
 * {@value #MAX_PER_CALLER} per replica, so one client cannot take the whole cap), 1013 too many connections in all,
 * 1009 a message from the client over 4 KiB (the socket takes none but Jetty's control frames).
 */
public final class LiveEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);
    static final int MAX_CONNECTIONS = 200;
    static final int MAX_PER_CALLER = 10;

    private final EventStore store;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final Tokens tokens;
    private final Sessions sessions;
    private final Redis redis;
    private final Map<String, Live> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, Integer> perCaller = new ConcurrentHashMap<>();

    /** A live subscription and whose it is. */
    private record Live(Subscription subscription, String subject) {
    }

    /**
     * @param store the event store
     * @param orders the order repository (ownership of a subscribed order)
     * @param tokens verifies the token
     * @param sessions whether its session lives
     * @param redis revocations
     */
    public LiveEvents(EventStore store, AggregateRepository<OrderCommand, Order, OrderEvent> orders, Tokens tokens, Sessions sessions,
            Redis redis) {
        this.store = store;
        this.orders = orders;
        this.tokens = tokens;
        this.sessions = sessions;
        this.redis = redis;
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setMaxTextMessageSize(4096);
            ctx.session.setMaxBinaryMessageSize(4096);
            connect(ctx);
        });
        ws.onClose(ctx -> stop(ctx.sessionId()));
        ws.onError(ctx -> stop(ctx.sessionId()));
    }

    private void connect(WsContext ctx) {
        Caller caller;
        try {
            String token = ctx.queryParam("token");
            String header = ctx.header("Authorization");
            if (token == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = header.substring(7).strip();
            }
            if (token == null) {
                throw ApiException.unauthorized("send a token");
            }
            caller = tokens.verify(token);
            if (redis.isRevoked(caller.tokenId()) || !sessions.alive(caller)) {
                throw ApiException.unauthorized("the token was revoked");
            }
        } catch (AuthException e) {
            ctx.closeSession(4401, e.getMessage().length() > 120 ? e.getMessage().substring(0, 120) : e.getMessage());
            return;
        } catch (ApiException e) {
            ctx.closeSession(4401, e.getMessage());
            return;
        }
        String orderId = ctx.queryParam("orderId");
        if (orderId != null && !orderId.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,99}")) {
            ctx.closeSession(4400, "orderId must be an order id (letters, digits, _ and -, up to 100 characters)");
            return;
        }
        if (orderId != null) {
            Order order = orders.load(orderId).state();
            if (order.orderId() == null || !caller.isAdmin() && !caller.subject().equals(order.customerId())) {
                ctx.closeSession(4403, "no such order of yours");
                return;
            }
        } else if (!caller.isAdmin()) {
            ctx.closeSession(4403, "customers subscribe to one of their orders: add ?orderId=");
            return;
        }
        LogPosition after;
        try {
            after = parse(ctx.queryParam("after"));
        } catch (RuntimeException e) {
            ctx.closeSession(4400, "after must be a position like 1234/56 from an earlier message");
            return;
        }
        if (subscriptions.size() >= MAX_CONNECTIONS) {
            ctx.closeSession(1013, "too many live connections; try again later");
            return;
        }
        if (!admit(caller.subject())) {
            ctx.closeSession(4429, "too many live connections of yours (" + MAX_PER_CALLER + "); close one first");
            return;
        }
        ctx.enableAutomaticPings();
        String stream = orderId == null ? null : orders.streamId(orderId);
        Subscription subscription;
        try {
            subscription = store.subscribe(after, EventFilter.category(Orders.CATEGORY), event -> {
                if (stream == null || stream.equals(event.streamId())) {
                    ctx.send(message(event));
                }
            });
        } catch (RuntimeException e) {
            release(caller.subject());
            throw e;
        }
        subscriptions.put(ctx.sessionId(), new Live(subscription, caller.subject()));
        LOG.debug("live subscription {} for {} from {}", ctx.sessionId(), caller.subject(), after);
    }

    private static LogPosition parse(String value) {
        if (value == null || value.isBlank()) {
            return LogPosition.START;
        }
        String[] parts = value.split("/");
        if (parts.length != 2 || !parts[0].matches("\\d{1,18}") || !parts[1].matches("\\d{1,18}")) {
            throw new IllegalArgumentException(value);
        }
        return new LogPosition(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    private static String message(RecordedEvent event) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("position", event.logPosition().toString());
        body.put("orderId", event.streamId().substring(Orders.CATEGORY.length() + 1));
        body.put("version", event.streamVersion());
        body.put("type", event.type());
        body.put("recordedAt", event.recordedAt().toString());
        body.put("data", Orders.EVENT_TYPES.fromRecorded(event));
        return Json.RESPONSES.writeValueAsString(body);
    }

    /** @return whether {@code subject} may open one more live connection (and counts it if so) */
    private boolean admit(String subject) {
        boolean[] admitted = {false};
        perCaller.compute(subject, (key, open) -> {
            int count = open == null ? 0 : open;
            admitted[0] = count < MAX_PER_CALLER;
            return admitted[0] ? count + 1 : open;
        });
        return admitted[0];
    }

    private void release(String subject) {
        perCaller.computeIfPresent(subject, (key, open) -> open <= 1 ? null : open - 1);
    }

    private void stop(String sessionId) {
        Live live = subscriptions.remove(sessionId);
        if (live != null) {
            release(live.subject());
            live.subscription().close();
        }
    }

    void closeAll() {
        subscriptions.keySet().forEach(this::stop);
    }

    int connections() {
        return subscriptions.size();
    }
}
