package dev.eventfold.eventstore.postgres.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A primary and a streaming replica made with the machine's PostgreSQL binaries ({@code initdb}, {@code pg_ctl},
 * {@code pg_basebackup} of Debian's {@code postgresql-15}), on free ports in a temporary directory, for failover tests.
 * PostgreSQL's own streaming replication: the replica is a {@code pg_basebackup -R} of the primary. As root the
 * binaries run as the {@code postgres} user, as PostgreSQL refuses to run as root.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path directory;
    private final int primaryPort;
    private final int replicaPort;

    private PostgresCluster(Path directory, int primaryPort, int replicaPort) {
        this.directory = directory;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /**
     * Starts a primary and a replica that streams from it.
     *
     * @param synchronous whether the primary waits for the replica to flush each commit before acknowledging it
     *     ({@code synchronous_standby_names}), so that an acknowledged commit survives the primary's loss
     * @return the running cluster
     */
    public static PostgresCluster start(boolean synchronous) throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("pg_basebackup"))) {
            throw new IllegalStateException(BIN + " has no pg_basebackup: install Debian's postgresql-15");
        }
        Path directory = Files.createTempDirectory("pg-cluster-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        owned(directory);
        PostgresCluster cluster = new PostgresCluster(directory, freePort(), freePort());
        try {
            cluster.run(BIN.resolve("initdb").toString(), "-D", cluster.data("primary").toString(), "-A", "trust",
                    "-U", "postgres", "--no-sync");
            Files.writeString(cluster.data("primary").resolve("postgresql.auto.conf"), String.join("\n",
                    "listen_addresses = '127.0.0.1'",
                    "port = " + cluster.primaryPort,
                    "unix_socket_directories = '" + directory + "'",
                    "wal_level = replica",
                    "max_wal_senders = 5",
                    "fsync = on",
                    synchronous ? "synchronous_standby_names = 'replica'" : "",
                    ""));
            cluster.pgCtl("primary", "start");
            cluster.run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(cluster.primaryPort), "-U", "postgres", "-D", cluster.data("replica").toString(),
                    "-R", "-X", "stream", "--no-sync");
            Path replicaConf = cluster.data("replica").resolve("postgresql.auto.conf");
            String conf = Files.readString(replicaConf).replace("port = " + cluster.primaryPort,
                    "port = " + cluster.replicaPort).replace("primary_conninfo = '",
                    "primary_conninfo = 'application_name=replica ")
                    // Promoted, it has no standby of its own to wait for.
                    .replace("synchronous_standby_names = 'replica'", "");
            Files.writeString(replicaConf, conf + "hot_standby = on\n");
            owned(replicaConf);
            cluster.pgCtl("replica", "start");
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** @return the primary's JDBC URL (database {@code postgres}) */
    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    /** @return the replica's JDBC URL */
    public String replicaUrl() {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres";
    }

    /**
     * @return a multi-host URL that finds whichever of the two is primary now, as a DNS name flipped by RDS Multi-AZ
     *     would
     */
    public String failoverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + replicaPort
                + "/postgres?targetServerType=primary";
    }

    /** Kills the primary at once, as a crash or a lost host would (no checkpoint, no goodbye to clients). */
    public void killPrimary() throws IOException, InterruptedException {
        pgCtl("primary", "stop", "-m", "immediate");
    }

    /** Promotes the replica to primary and waits until it accepts writes. */
    public void promoteReplica() throws IOException, InterruptedException {
        pgCtl("replica", "promote");
    }

    private Path data(String name) {
        return directory.resolve(name);
    }

    private void pgCtl(String name, String action, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve("pg_ctl").toString(), "-D",
                data(name).toString(), "-l", directory.resolve(name + ".log").toString(), "-w", "-t", "60", action));
        command.addAll(List.of(options));
        run(command.toArray(String[]::new));
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static void owned(Path path) throws IOException, InterruptedException {
        if ("root".equals(System.getProperty("user.name"))) {
            Process chown = new ProcessBuilder("chown", "postgres:postgres", path.toString()).start();
            chown.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops both servers at once and removes their files. */
    @Override
    public void close() {
        for (String name : List.of("primary", "replica")) {
            if (Files.exists(data(name).resolve("postmaster.pid"))) {
                try {
                    pgCtl(name, "stop", "-m", "immediate");
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // already stopped
                }
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
