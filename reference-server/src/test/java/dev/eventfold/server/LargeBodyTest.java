package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A body over the limit gets its 413 problem on a raw socket, as plain HTTP/1.1 clients send it: one that writes the
 * whole body before it reads (200 KB, three times the limit), and one that reads while it writes, however large the
 * body (20 MiB: the server answers and closes without reading it all; a client that wrote all of that first would
 * meet a broken pipe instead, as with any server that will not read 20 MiB it refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeBodyTest {

    private final String schema = TestServers.migratedSchema("big");
    private Server server;
    private String admin;

    @BeforeAll
    void start() {
        server = Server.start(ServerConfig.load(ServerTest.environment(schema)));
        admin = server.token("ops", Role.ADMIN);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        TestServers.dropSchema(schema);
    }

    @Test
    void a_body_over_the_limit_sent_whole_gets_its_413() throws Exception {
        byte[] body = ("{\"pad\":\"" + "x".repeat(200_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                        + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String answer = readAll(socket.getInputStream());
                if (!answer.startsWith("HTTP/1.1 413") || !answer.contains("application/problem+json")
                        || !answer.contains("\"status\":413")) {
                    failures.add("attempt " + i + ": " + (answer.isEmpty() ? "no answer" : answer.lines()
                            .findFirst().orElse("")));
                }
            } catch (IOException e) {
                failures.add("attempt " + i + ": " + e);
            }
        }
        assertThat(failures).as("answers other than a 413 problem").isEmpty();
    }

    @Test
    void a_client_that_reads_while_it_sends_gets_the_413_however_large_the_body() throws Exception {
        byte[] chunk = "x".repeat(65_536).getBytes(StandardCharsets.US_ASCII);
        int chunks = 320; // 20 MiB announced: the server answers and closes without reading it all
        ExecutorService writers = Executors.newSingleThreadExecutor();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            Future<?> sent = writers.submit(() -> {
                out.write(("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + admin
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + (long) chunk.length * chunks
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < chunks; i++) {
                    out.write(chunk);
                }
                return null;
            });
            String answer = readAll(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json").contains(
                    "\"status\":413");
            sent.cancel(true);
        } finally {
            writers.shutdownNow();
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0;) {
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
