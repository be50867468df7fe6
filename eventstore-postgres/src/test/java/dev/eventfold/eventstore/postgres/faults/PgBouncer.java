package dev.eventfold.eventstore.postgres.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A PgBouncer (Debian's {@code pgbouncer}, 1.18 here) in transaction pooling mode in front of a PostgreSQL, started
 * on a free port for a test. As root it drops to the {@code postgres} user, as PgBouncer refuses to run as root.
 */
public final class PgBouncer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final Path directory;
    private final int port;
    private final String database;

    private PgBouncer(Process process, Path directory, int port, String database) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.database = database;
    }

    /**
     * @param postgresUrl the JDBC URL of the PostgreSQL to pool, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}
     * @param user the user clients log in as (trusted, no password)
     * @param poolSize server connections per database and user ({@code default_pool_size})
     * @return a running PgBouncer
     * @throws IllegalStateException if Debian's pgbouncer is not installed or does not start
     */
    public static PgBouncer start(String postgresUrl, String user, int poolSize)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install Debian's pgbouncer (apt-get install "
                    + "pgbouncer); .ci/run does");
        }
        URI target = URI.create(postgresUrl.substring("jdbc:".length()));
        int port = freePort();
        Path directory = Files.createTempDirectory("pgbouncer-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path users = Files.writeString(directory.resolve("users.txt"), "\"" + user + "\" \"\"\n");
        Path ini = Files.writeString(directory.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = host=" + target.getHost() + " port=" + target.getPort(),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + users,
                "pool_mode = transaction",
                "default_pool_size = " + poolSize,
                "max_client_conn = 200",
                "ignore_startup_parameters = extra_float_digits",
                ""));
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "postgres"));
        }
        command.add(ini.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("pgbouncer.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, directory, port, target.getPath());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return bouncer;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String log = Files.readString(directory.resolve("pgbouncer.log"));
                    bouncer.close();
                    throw new IllegalStateException("PgBouncer did not start: " + log);
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** @return the port PgBouncer listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return a JDBC URL through PgBouncer; {@code prepareThreshold=0} as PgBouncer before 1.21 requires */
    public String jdbcUrl() {
        return jdbcUrlWithPreparedStatements() + "?prepareThreshold=0";
    }

    /** @return a JDBC URL through PgBouncer with the driver's default server-side prepared statements */
    public String jdbcUrlWithPreparedStatements() {
        return "jdbc:postgresql://127.0.0.1:" + port + database;
    }

    /** Stops PgBouncer and removes its files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
