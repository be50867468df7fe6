package dev.eventfold.server;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ConfigException;
import dev.eventfold.server.config.ServerConfig;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar reference-server.jar [serve | migrate | token --subject S --role customer|admin | healthcheck]}.
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command and its options
     */
    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        String command = arguments.isEmpty() ? "serve" : arguments.get(0);
        if (command.equals("healthcheck")) {
            System.exit(healthcheck(System.getenv("PORT")));
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure(config.monitoring().logging());
        switch (command) {
            case "serve" -> serve(config);
            case "migrate" -> {
                try (Database database = Database.openForMigrations(config)) {
                    String schema = config.database().schema();
                    int applied = Migrations.run(database.pool(), schema);
                    System.out.println("migrated schema '" + schema + "': " + applied + " migrations applied");
                }
            }
            case "token" -> {
                String subject = option(arguments, "--subject");
                String role = option(arguments, "--role");
                Role parsed = Role.parse(role);
                if (subject == null || subject.isBlank() || parsed == null) {
                    System.err.println("usage: token --subject <id> --role customer|admin");
                    System.exit(2);
                }
                System.out.println(Secrets.tokens(config, java.time.Clock.systemUTC()).issue(subject, parsed));
            }
            default -> {
                System.err.println("unknown command '" + command + "'; commands: serve (default), migrate, token "
                        + "--subject <id> --role customer|admin, healthcheck");
                System.exit(2);
            }
        }
    }

    /**
     * The container's {@code HEALTHCHECK}: asks this host's liveness probe, needing nothing but the JVM the image
     * already has (no curl).
     *
     * @return 0 when it answers 200, 1 otherwise
     */
    private static int healthcheck(String port) {
        String base = "http://127.0.0.1:" + (port == null || port.isBlank() ? "3001" : port.strip());
        try {
            var response = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2))
                    .build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health/live"))
                            .timeout(java.time.Duration.ofSeconds(3)).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("healthcheck: " + base + "/health/live did not answer: " + e);
            return 1;
        }
    }

    private static String option(List<String> arguments, String name) {
        int i = arguments.indexOf(name);
        return i >= 0 && i + 1 < arguments.size() ? arguments.get(i + 1) : null;
    }

    private static void serve(ServerConfig config) {
        Server server = Server.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
