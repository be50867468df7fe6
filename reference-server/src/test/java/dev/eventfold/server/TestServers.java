package dev.eventfold.server;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.postgres.PostgresPool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the server tests share: free ports, the shared PostgreSQL (a schema per test class), throwaway Redis servers. */
final class TestServers {

    private TestServers() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a small pool on the shared PostgreSQL; close it */
    static HikariDataSource pool() {
        return PostgresPool.builder("jdbc:postgresql://" + ServerTest.HOST + ":5432/postgres").username(ServerTest.USER)
                .password(ServerTest.PASSWORD).minIdle(1).maxSize(2).build();
    }

    /** @return a new schema with the event store and read models migrated, as the chart's init container does */
    static String migratedSchema(String prefix) {
        String schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (HikariDataSource pool = pool()) {
            Migrations.run(pool, schema);
        }
        return schema;
    }

    static void dropSchema(String schema) {
        try (HikariDataSource pool = pool(); Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a {@code redis-server} on loopback (no persistence) and waits until it accepts connections.
     *
     * @param port the port of the plain or TLS listener
     * @param options more options, e.g. {@code --requirepass x} or the TLS ones
     */
    static Process redis(int port, String... options) {
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"));
        if (!List.of(options).contains("--tls-port")) {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        command.addAll(List.of(options));
        try {
            Process redis = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the packaged jar ({@code target/reference-server.jar}, so only from integration tests) as a process of its
     * own, its output into {@code log}.
     */
    static Process jar(Map<String, String> env, Path log, String... args) throws IOException {
        return start(jarCommand(args), env, log);
    }

    /** @return the command line that runs the packaged jar with {@code args} */
    static List<String> jarCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", new File("target/reference-server.jar").getAbsolutePath()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code command} (the jar's, perhaps prefixed) with {@code env}, its output appended to {@code log}. */
    static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** @return a token made by the jar's {@code token} command */
    static String jarToken(Map<String, String> env, String subject, String role) throws Exception {
        Path log = Files.createTempFile("token", ".log");
        try {
            Process command = jar(env, log, "token", "--subject", subject, "--role", role);
            if (!command.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || command.exitValue() != 0) {
                throw new IllegalStateException("token command failed: " + Files.readString(log));
            }
            return Files.readString(log).strip().lines().reduce((a, b) -> b).orElse("");
        } finally {
            Files.delete(log);
        }
    }
}
