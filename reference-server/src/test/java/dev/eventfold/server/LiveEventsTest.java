package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The live event WebSocket: catch-up then live, in order, resumable, and closed for callers who may not listen. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String schema = TestServers.migratedSchema("srv");
    private Server server;
    private Http http;

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(ServerTest.environment(schema)));
        http = new Http(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        TestServers.dropSchema(schema);
    }

    /** Collects text messages and the close code. */
    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next() throws Exception {
            String message = messages.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a message within 20 s").isNotNull();
            return JSON.readTree(message);
        }
    }

    private WebSocket open(String query, Listener listener) {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/events/live?" + query), listener)
                .join();
    }

    @Test
    void an_order_stream_is_delivered_in_order_then_live_and_resumes_after_a_position() throws Exception {
        String token = server.token("ws-ada", Role.CUSTOMER);
        String id = http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\","
                + "\"quantity\":1,\"price\":2}]}").json().get("id").asText();
        Listener listener = new Listener();
        WebSocket socket = open("token=" + token + "&orderId=" + id, listener);
        JsonNode placed = listener.next();
        assertThat(placed.get("type").asText()).isEqualTo("OrderPlaced");
        assertThat(placed.get("orderId").asText()).isEqualTo(id);

        http.post("/api/orders/" + id + "/confirm", token, null);
        JsonNode confirmed = listener.next();
        assertThat(confirmed.get("type").asText()).isEqualTo("OrderConfirmed");
        assertThat(confirmed.get("version").asLong()).isEqualTo(1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

        Listener resumed = new Listener();
        open("token=" + token + "&orderId=" + id + "&after=" + placed.get("position").asText(), resumed);
        assertThat(resumed.next().get("type").asText()).isEqualTo("OrderConfirmed");
        assertThat(resumed.messages.poll(300, TimeUnit.MILLISECONDS)).as("nothing before the position again").isNull();
    }

    @Test
    void callers_who_may_not_listen_are_closed_with_a_reason() throws Exception {
        String ada = server.token("ws-ada2", Role.CUSTOMER);
        String bob = server.token("ws-bob", Role.CUSTOMER);
        String id = http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\","
                + "\"quantity\":1,\"price\":2}]}").json().get("id").asText();
        for (var attempt : List.of(List.of("orderId=" + id, 4401), List.of("token=forged&orderId=" + id, 4401),
                List.of("token=" + bob + "&orderId=" + id, 4403), List.of("token=" + ada, 4403),
                List.of("token=" + ada + "&orderId=" + id + "&after=yesterday", 4400),
                List.of("token=" + ada + "&orderId=" + id + "&after=99999999999999999999/1", 4400),
                List.of("token=" + ada + "&orderId=" + "x".repeat(500), 4400),
                List.of("token=" + ada + "&orderId=a%00b", 4400))) {
            Listener listener = new Listener();
            open((String) attempt.get(0), listener);
            assertThat(listener.closed.get(20, TimeUnit.SECONDS)).as(attempt.get(0).toString())
                    .isEqualTo(attempt.get(1));
        }
    }

    @Test
    void one_caller_cannot_take_every_live_connection_and_others_still_get_theirs() throws Exception {
        String ada = server.token("ws-hog", Role.CUSTOMER);
        String id = http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\","
                + "\"quantity\":1,\"price\":2}]}").json().get("id").asText();
        List<WebSocket> open = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Listener listener = new Listener();
            open.add(open("token=" + ada + "&orderId=" + id, listener));
            assertThat(listener.next().get("type").asText()).as("connection %d is served", i + 1)
                    .isEqualTo("OrderPlaced");
        }
        Listener eleventh = new Listener();
        open("token=" + ada + "&orderId=" + id, eleventh);
        assertThat(eleventh.closed.get(20, TimeUnit.SECONDS)).as("the caller's eleventh connection").isEqualTo(4429);

        String admin = server.token("ws-ops", Role.ADMIN);
        Listener other = new Listener();
        open("token=" + admin + "&orderId=" + id, other);
        assertThat(other.next().get("type").asText()).as("another caller is still served").isEqualTo("OrderPlaced");

        open.get(0).sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        org.awaitility.Awaitility.await("a closed connection frees its place").atMost(java.time.Duration.ofSeconds(20))
                .until(() -> {
                    Listener again = new Listener();
                    open("token=" + ada + "&orderId=" + id, again);
                    return again.messages.poll(5, TimeUnit.SECONDS) != null;
                });
    }

    @Test
    void a_client_flooding_the_socket_is_closed_and_the_server_stays_healthy() throws Exception {
        String ada = server.token("ws-flood", Role.CUSTOMER);
        String id = http.post("/api/orders", ada, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\","
                + "\"quantity\":1,\"price\":2}]}").json().get("id").asText();
        Listener listener = new Listener();
        WebSocket socket = open("token=" + ada + "&orderId=" + id, listener);
        assertThat(listener.next().get("type").asText()).isEqualTo("OrderPlaced");
        for (int i = 0; i < 2_000; i++) {
            socket.sendText("{\"spam\":" + i + "}", true).join();
        }
        http.post("/api/orders/" + id + "/confirm", ada, null);
        assertThat(listener.next().get("type").asText()).as("small messages are ignored; events still flow")
                .isEqualTo("OrderConfirmed");

        socket.sendText("x".repeat(16 * 1024), true);
        // The server reads the frame's header, refuses it (1009, too big) and closes without reading the rest; with
        // the client still writing, its socket may be reset before the close frame is read. Either way the server
        // ended the connection, and an open socket times out here.
        Object ended = listener.closed.handle((status, error) -> error == null ? status : error).get(20,
                TimeUnit.SECONDS);
        assertThat(ended).as("a 16 KiB message ends the connection: closed with 1009, or reset while sending")
                .satisfiesAnyOf(code -> assertThat(code).isEqualTo(1009),
                        error -> assertThat(error).isInstanceOf(java.io.IOException.class));
        assertThat(http.get("/health", null).status()).isEqualTo(200);
        assertThat(http.get("/api/orders/" + id, ada).status()).isEqualTo(200);
    }
}
