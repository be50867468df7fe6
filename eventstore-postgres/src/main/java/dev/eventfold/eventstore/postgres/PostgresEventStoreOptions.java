package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.InvalidRequestException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The settings of a {@link PostgresEventStore}, validated when built (see {@link PostgresEventStore.Builder}).
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>valid</th></tr>
 *   <tr><td>{@code schema}</td><td>{@code eventstore}</td><td>a lower-case SQL identifier, up to 48 characters</td></tr>
 *   <tr><td>{@code limits}</td><td>{@link EventStoreLimits#defaults()}</td><td>any</td></tr>
 *   <tr><td>{@code notificationChannel}</td><td>{@code <schema>_events}; {@code null} turns LISTEN/NOTIFY off</td>
 *       <td>a lower-case SQL identifier, up to 63 characters</td></tr>
 *   <tr><td>{@code pageSize}</td><td>500</td><td>1 to {@code limits.maxEventsPerRead}: events a subscription reads per
 *       round trip</td></tr>
 *   <tr><td>{@code maxPollInterval}</td><td>1 s</td><td>10 ms to 1 min: the longest a caught-up subscription waits
 *       before it reads again without a notification</td></tr>
 * </table>
 *
 * <p>Immutable.
 *
 * @param schema the schema holding the event store's tables and functions
 * @param limits the limits the store enforces
 * @param notificationChannel the LISTEN/NOTIFY channel, or {@code null} for polling only
 * @param pageSize how many events a subscription reads per round trip
 * @param maxPollInterval the longest a caught-up subscription waits before reading again
 */
public record PostgresEventStoreOptions(String schema, EventStoreLimits limits, String notificationChannel,
        int pageSize, Duration maxPollInterval) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * @param schema the schema holding the event store's tables and functions
     * @param limits the limits the store enforces
     * @param notificationChannel the LISTEN/NOTIFY channel, or {@code null} for polling only
     * @param pageSize how many events a subscription reads per round trip
     * @param maxPollInterval the longest a caught-up subscription waits before reading again
     * @throws InvalidRequestException if a setting is out of range, naming it
     */
    public PostgresEventStoreOptions {
        checkIdentifier("schema", schema, 48);
        if (limits == null) {
            throw new InvalidRequestException("limits must not be null");
        }
        if (notificationChannel != null) {
            checkIdentifier("notificationChannel", notificationChannel, 63);
        }
        if (pageSize < 1 || pageSize > limits.maxEventsPerRead()) {
            throw new InvalidRequestException("pageSize must be between 1 and " + limits.maxEventsPerRead()
                    + " (limits.maxEventsPerRead), was " + pageSize);
        }
        if (maxPollInterval == null || maxPollInterval.compareTo(Duration.ofMillis(10)) < 0
                || maxPollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidRequestException("maxPollInterval must be between 10 ms and 1 min, was "
                    + maxPollInterval);
        }
    }

    static void checkIdentifier(String name, String value, int maxLength) {
        if (value == null || value.isEmpty() || value.length() > maxLength || !IDENTIFIER.matcher(value).matches()) {
            throw new InvalidRequestException(name + " must be a lower-case SQL identifier ([a-z_][a-z0-9_]*) of 1 to "
                    + maxLength + " characters, was '" + value + "'");
        }
    }
}
