package dev.eventfold.eventstore.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.DuplicateEventException;
import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidEventException;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one place where {@link SQLException}s become event store exceptions. It decides by SQLSTATE, never by message
 * text: the SQL functions raise dedicated codes ({@code EV001}…) with their ids as a JSON object in DETAIL.
 */
final class SqlErrors {

    static final String WRONG_EXPECTED_VERSION = "EV001";
    static final String DUPLICATE_EVENT = "EV002";
    static final String STREAM_DELETED = "EV003";
    static final String STREAM_SOFT_DELETED = "EV005";
    static final String NOT_SOFT_DELETED = "EV006";
    static final String APPEND_ONLY = "EV004";
    static final String UNIQUE_VIOLATION = "23505";
    static final String EVENT_ID_CONSTRAINT = "events_event_id_key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlErrors() {
    }

    /** @return whether the failure is the event id unique index: an id of the batch is stored already */
    static boolean isEventIdClash(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) && e instanceof PSQLException p
                && p.getServerErrorMessage() != null
                && EVENT_ID_CONSTRAINT.equals(p.getServerErrorMessage().getConstraint());
    }

    /**
     * @return whether the failure is the connection's or the server's as a whole (no connection from the pool, a
     *     broken connection, a server shutting down, too many connections), not an answer to the statement
     */
    static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }

    /**
     * @param e the failure
     * @param what what was being done, for the message (ids only, never payloads)
     * @param streamId the stream concerned, or null
     * @param expected the expected version of the call, or null
     * @param schema the store's schema
     * @return the exception to throw
     */
    static EventStoreException translate(SQLException e, String what, String streamId, ExpectedVersion expected,
            String schema) {
        String state = e.getSQLState();
        if (state == null) {
            return unavailable(e, what);
        }
        switch (state) {
            case WRONG_EXPECTED_VERSION:
                return new WrongExpectedVersionException(streamId, expected, detail(e).path("actual").asLong());
            case DUPLICATE_EVENT: {
                JsonNode d = detail(e);
                return new DuplicateEventException(UUID.fromString(d.path("event_id").asText()), streamId,
                        d.path("stored_stream_id").asText(), d.path("stored_version").asLong(),
                        d.path("reason").asText());
            }
            case STREAM_DELETED:
                return new StreamDeletedException(streamId);
            case STREAM_SOFT_DELETED:
                return new StreamDeletedException(streamId, true);
            case NOT_SOFT_DELETED:
                return new InvalidRequestException("stream '" + streamId + "' is not soft-deleted; nothing to restore");
            case "22P02": // invalid_text_representation (jsonb input)
            case "22P05": // untranslatable_character
            case "22021": // character_not_in_repertoire
                return new InvalidEventException("stream '" + streamId + "': PostgreSQL rejected the batch ("
                        + "SQLSTATE " + state + "); nothing was written");
            case "42P01": // undefined_table
            case "42883": // undefined_function
            case "3F000": // invalid_schema_name
                return new EventStoreUnavailableException("the event store schema '" + schema + "' is missing or not "
                        + "migrated (SQLSTATE " + state + "); run PostgresEventStoreMigrator.migrate or "
                        + "'reference-server migrate'", e);
            default:
                return unavailable(e, what);
        }
    }

    static EventStoreUnavailableException unavailable(SQLException e, String what) {
        String state = e.getSQLState();
        String kind;
        if (e instanceof SQLTransientConnectionException) {
            kind = "no connection could be had from the pool";
        } else if (isConnectionFailure(e)) {
            kind = "the connection to PostgreSQL failed";
        } else {
            kind = "PostgreSQL answered with an error";
        }
        return new EventStoreUnavailableException(what + ": " + kind + " (SQLSTATE " + state + "): "
                + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static JsonNode detail(SQLException e) {
        if (e instanceof PSQLException p) {
            ServerErrorMessage server = p.getServerErrorMessage();
            if (server != null && server.getDetail() != null) {
                try {
                    return JSON.readTree(server.getDetail());
                } catch (IOException ignored) {
                    // fall through: a missing detail is reported as zeros below
                }
            }
        }
        return JSON.createObjectNode();
    }
}
