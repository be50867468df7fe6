package dev.eventfold.eventstore.privacy;

/**
 * Access logging of personal data (opt-in): told each time a subject's personal fields are decrypted for a reader,
 * once per event or snapshot, with ids only (never the data). The caller's identity is the application's to add (the
 * order server takes it from the request). Called on the reading thread; it should not throw: if it does, the read
 * fails, as strict access logging demands.
 */
@FunctionalInterface
public interface PersonalDataAccess {

    /**
     * @param subject whose data was decrypted
     * @param streamId the event's or snapshot's stream
     * @param version the event's stream version, or the version the snapshot was taken at
     */
    void decrypted(String subject, String streamId, long version);

    /** @return no access logging */
    static PersonalDataAccess none() {
        return (subject, streamId, version) -> {
        };
    }
}
