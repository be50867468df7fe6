package dev.eventfold.server.config;

import java.util.List;

/** A configuration that cannot start the server; the message lists every problem found, one per line. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    ConfigException(List<String> problems) {
        super("Invalid configuration (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in the order found */
    public List<String> problems() {
        return problems;
    }
}
