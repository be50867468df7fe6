package dev.eventfold.server.http;

import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access logging of customers' personal data (opt-in, {@code eventSourcing.personalDataAccessLog}): one INFO line of
 * the logger {@value #LOGGER} each time an answer carries a customer's name, e-mail or address, naming the customer,
 * the order's stream and version and the caller; the request's correlation id is in the line's MDC. Ids only, never
 * the data. Logged where data is served, not where it is decrypted, so answers from the aggregate cache count too and
 * the read-model runner's decryptions do not.
 */
public final class PersonalDataLog {

    /** The logger's name. */
    public static final String LOGGER = "personal-data-access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final boolean enabled;

    /** @param enabled whether to log */
    public PersonalDataLog(boolean enabled) {
        this.enabled = enabled;
    }

    void served(Context ctx, String customerId, String streamId, long version) {
        if (enabled) {
            LOG.info("personal data served: customer={} stream={} version={} to={} ({} {})", customerId, streamId,
                    version, Requests.caller(ctx).subject(), ctx.method(), ctx.path());
        }
    }
}
