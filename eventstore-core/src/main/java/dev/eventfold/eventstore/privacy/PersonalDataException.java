package dev.eventfold.eventstore.privacy;

import dev.eventfold.eventstore.EventStoreException;

/**
 * A personal-data ciphertext could not be read although its key exists: it was altered, or it was moved to another
 * subject, event type or field than it was made for (authenticated encryption refuses it). Never thrown for a
 * forgotten subject: its fields read as redacted. The message names the stream, event and field, never the data.
 */
public final class PersonalDataException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param where the stream, event type and field
     * @param cause what the cipher said
     */
    public PersonalDataException(String where, Throwable cause) {
        super("personal data at " + where + " cannot be decrypted: it was altered or moved", cause);
    }
}
