package dev.eventfold.server;

import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ConfigException;
import dev.eventfold.server.config.ServerConfig;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar reference-server.jar [serve | migrate | token --subject S --role customer|admin]}.
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
                try (Database database = Database.open(config)) {
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
                        + "--subject <id> --role customer|admin");
                System.exit(2);
            }
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
