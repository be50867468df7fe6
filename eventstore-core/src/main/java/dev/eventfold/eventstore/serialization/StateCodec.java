package dev.eventfold.eventstore.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.Payload;
import java.io.IOException;

/**
 * Writes an aggregate's state into a snapshot and reads it back, under a <b>snapshot schema version</b>. Bump the
 * version whenever the state's shape changes: snapshots of any other version are then ignored (and counted) and the
 * state is rebuilt from events, never mis-read.
 *
 * <p>Implementations must be thread-safe. {@link #jackson(Class, int)} gives one that is.
 *
 * @param <S> the state type
 */
public interface StateCodec<S> {

    /** @return the schema version this codec writes and is able to read */
    int schemaVersion();

    /**
     * @param state the state
     * @return its JSON
     * @throws SerializationException if it cannot be written
     */
    Payload serialize(S state);

    /**
     * @param json JSON written by {@link #serialize} at {@link #schemaVersion()}
     * @return the state
     * @throws SerializationException if it cannot be read
     */
    S deserialize(Payload json);

    /**
     * @param type the state's class (a record, or a class Jackson can read)
     * @param schemaVersion the snapshot schema version, 1 or more
     * @param <S> the state type
     * @return a codec using {@link EventfoldJson#newMapper()}
     */
    static <S> StateCodec<S> jackson(Class<S> type, int schemaVersion) {
        return jackson(EventfoldJson.newMapper(), type, schemaVersion);
    }

    /**
     * @param mapper the mapper to use
     * @param type the state's class
     * @param schemaVersion the snapshot schema version, 1 or more
     * @param <S> the state type
     * @return a codec using that mapper
     */
    static <S> StateCodec<S> jackson(ObjectMapper mapper, Class<S> type, int schemaVersion) {
        if (mapper == null || type == null) {
            throw new InvalidRequestException("mapper and type must not be null");
        }
        if (schemaVersion < 1) {
            throw new InvalidRequestException("snapshot schema version must be 1 or more, was " + schemaVersion);
        }
        return new StateCodec<>() {
            @Override
            public int schemaVersion() {
                return schemaVersion;
            }

            @Override
            public Payload serialize(S state) {
                try {
                    return Payload.ofJsonBytes(mapper.writeValueAsBytes(state));
                } catch (JsonProcessingException e) {
                    throw new SerializationException(type.getName(), schemaVersion, null,
                            "Jackson could not write the state (" + e.getOriginalMessage() + ")", e);
                }
            }

            @Override
            public S deserialize(Payload json) {
                try {
                    return mapper.readValue(json.inputStream(), type);
                } catch (IOException e) {
                    throw new SerializationException(type.getName(), schemaVersion, null, true,
                            "the snapshot does not fit the state class (" + e.getMessage() + ")", e);
                }
            }

            @Override
            public String toString() {
                return "StateCodec[" + type.getSimpleName() + " v" + schemaVersion + "]";
            }
        };
    }
}
