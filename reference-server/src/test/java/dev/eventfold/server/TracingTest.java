package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code tracing.enabled}: a request that sends a W3C {@code traceparent} is traced through the command,
 * its append and the read models into one trace, exported over OTLP/HTTP to a receiver this test runs on loopback; the
 * request's log lines carry the trace id.
 */
class TracingTest {

    @Test
    void a_command_is_one_trace_from_the_request_to_the_read_models_and_its_logs_carry_the_trace_id(
            @TempDir Path dir) throws Exception {
        List<byte[]> exports = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            exports.add(body.toByteArray());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Path monitoring = dir.resolve("monitoring-config.json");
        Files.writeString(monitoring, "{\"tracing\": {\"enabled\": true, \"serviceName\": \"order-management-backend\","
                + " \"endpoint\": \"http://127.0.0.1:" + receiver.getAddress().getPort() + "\"}}");
        Map<String, String> env = ServerTest.environment(TestServers.migratedSchema("tracing"));
        env.put("MONITORING_CONFIG_FILE", monitoring.toString());
        String schema = env.get("EVENTSTORE_SCHEMA");
        Logger access = (Logger) LoggerFactory.getLogger("dev.eventfold.server.http.RequestFilters");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        access.addAppender(logs);
        Level level = access.getLevel();
        access.setLevel(Level.DEBUG);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try {
            try (Server server = Server.start(ServerConfig.load(env))) {
                Http http = new Http(server.port());
                Http.Response created = http.send("POST", "/api/orders", server.token("ada", Role.CUSTOMER),
                        "application/json", "{\"items\":[{\"productId\":\"p-1\",\"productName\":\"Pen\","
                                + "\"quantity\":1,\"price\":2}]}", "traceparent",
                        "00-" + traceId + "-00f067aa0ba902b7-01", "Prefer", "read-your-writes");
                assertThat(created.status()).isEqualTo(201);
                assertThat(created.header("Preference-Applied")).isEqualTo("read-your-writes");
            }
            byte[] all = concat(exports);
            assertThat(indexOf(all, HexFormat.of().parseHex(traceId))).as("the client's trace id in the export")
                    .isNotNegative();
            for (String name : List.of("POST /api/orders", "append order", "load order", "project order-read-models",
                    "projection batch order-read-models", "order-management-backend", "1.2.3-test")) {
                assertThat(indexOf(all, name.getBytes(StandardCharsets.UTF_8))).as("'%s' in the export", name)
                        .isNotNegative();
            }
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("POST /api/orders 201"))
                    .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("trace_id",
                            traceId).containsKey("span_id"));
        } finally {
            access.setLevel(level);
            access.detachAppender(logs);
            receiver.stop(0);
            TestServers.dropSchema(schema);
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
