package dev.eventfold.eventstore.audit;

import dev.eventfold.eventstore.EventStoreException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.StreamAdministration;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.privacy.SubjectKey;
import dev.eventfold.eventstore.retention.RetentionPolicy;
import dev.eventfold.eventstore.retention.RetentionStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audited path for destructive actions: each checks its arguments (an actor and a reason are required), does the
 * action, then appends an {@link AuditEntry} to the {@link AuditTrail}. Wire it into administrative code only.
 *
 * <pre>{@code
 * Administration admin = Administration.builder(AuditTrail.create(store))
 *         .protection(protection).streams(postgresStore).build();
 * Administration.Erasure erased = admin.forget("customer-7", "alice", "GDPR request #812");
 * }</pre>
 *
 * <p>If the action succeeds but its entry cannot be appended, an {@link AuditException} says so: the action is not
 * undone, and repeating it records it (forgetting is idempotent; tombstoning again reports the stream as deleted).
 * Thread-safe.
 */
public final class Administration {

    /** The action of {@link #forget}. */
    public static final String FORGET = "personal-data.forget";

    /** The action of {@link #rotateKey}. */
    public static final String ROTATE_KEY = "personal-data.rotate-key";

    /** The action of {@link #tombstone}. */
    public static final String TOMBSTONE = "stream.tombstone";

    /** The action of {@link #softDelete}. */
    public static final String SOFT_DELETE = "stream.soft-delete";

    /** The action of {@link #restore}. */
    public static final String RESTORE = "stream.restore";

    /** The action of {@link #applyRetention}. */
    public static final String RETENTION = "retention.run";

    /** The longest list of removed ranges kept in a retention entry's details, in characters. */
    private static final int MAX_RANGES_LENGTH = 2000;

    private final AuditTrail trail;
    private final PersonalDataProtection protection;
    private final StreamAdministration streams;
    private final RetentionStore retention;
    private final InstantSource clock;

    private Administration(Builder builder) {
        this.trail = builder.trail;
        this.protection = builder.protection;
        this.streams = builder.streams;
        this.retention = builder.retention;
        this.clock = builder.clock;
    }

    /**
     * @param trail where the actions are recorded
     * @return a builder
     * @throws InvalidRequestException if {@code trail} is null
     */
    public static Builder builder(AuditTrail trail) {
        if (trail == null) {
            throw new InvalidRequestException("trail must not be null");
        }
        return new Builder(trail);
    }

    /** @return the trail the actions go to */
    public AuditTrail trail() {
        return trail;
    }

    /**
     * Forgets a data subject ({@link PersonalDataProtection#forget}) and records it.
     *
     * @param subject the subject's id
     * @param actor who asks
     * @param reason why (a request number, say; no personal data)
     * @return what was done
     * @throws InvalidRequestException if an argument is missing or too long, or no protection was configured
     * @throws AuditException if the keys were destroyed but the entry could not be appended
     */
    public Erasure forget(String subject, String actor, String reason) {
        check(subject, actor, reason);
        PersonalDataProtection p = required(protection, "personal-data protection");
        Optional<Instant> before = p.forgottenAt(subject);
        int destroyed = p.forget(subject).keysDestroyed();
        AuditEntry entry = audit(FORGET, actor, reason, subject, Map.of("keysDestroyed", String.valueOf(destroyed),
                "previouslyForgottenAt", before.map(Instant::toString).orElse("never")));
        return new Erasure(subject, destroyed, before, entry);
    }

    /**
     * Makes a new key the subject's current one ({@link PersonalDataProtection#rotate}) and records it.
     *
     * @param subject the subject's id
     * @param actor who asks
     * @param reason why
     * @return the entry, whose details name the new key id
     * @throws InvalidRequestException if an argument is missing or too long, or no protection was configured
     * @throws AuditException if the key was made but the entry could not be appended
     */
    public AuditEntry rotateKey(String subject, String actor, String reason) {
        check(subject, actor, reason);
        SubjectKey key = required(protection, "personal-data protection").rotate(subject);
        return audit(ROTATE_KEY, actor, reason, subject, Map.of("keyId", key.keyId().toString()));
    }

    /**
     * Tombstones a stream ({@link StreamAdministration#tombstone}) and records it.
     *
     * @param streamId the stream
     * @param expected the precondition on its version
     * @param actor who asks
     * @param reason why
     * @return the entry
     * @throws InvalidRequestException if an argument is missing, the stream is the audit trail's own, or no stream
     *     administration was configured
     * @throws dev.eventfold.eventstore.WrongExpectedVersionException if the precondition does not hold; nothing changes
     * @throws dev.eventfold.eventstore.StreamDeletedException if the stream was tombstoned before
     * @throws AuditException if the stream was tombstoned but the entry could not be appended
     */
    public AuditEntry tombstone(String streamId, ExpectedVersion expected, String actor, String reason) {
        checkStream(streamId, expected, actor, reason);
        required(streams, "stream administration").tombstone(streamId, expected);
        return audit(TOMBSTONE, actor, reason, streamId, Map.of("expectedVersion", expected.toString()));
    }

    /**
     * Soft-deletes a stream ({@link StreamAdministration#softDelete}) and records it.
     *
     * @param streamId the stream
     * @param expected the precondition on its version
     * @param actor who asks
     * @param reason why
     * @return the entry
     * @throws InvalidRequestException as {@link #tombstone}
     * @throws dev.eventfold.eventstore.WrongExpectedVersionException if the precondition does not hold or the stream
     *     does not exist; nothing changes
     * @throws dev.eventfold.eventstore.StreamDeletedException if the stream is already soft-deleted or tombstoned
     * @throws AuditException if the stream was hidden but the entry could not be appended
     */
    public AuditEntry softDelete(String streamId, ExpectedVersion expected, String actor, String reason) {
        checkStream(streamId, expected, actor, reason);
        required(streams, "stream administration").softDelete(streamId, expected);
        return audit(SOFT_DELETE, actor, reason, streamId, Map.of("expectedVersion", expected.toString()));
    }

    /**
     * Restores a soft-deleted stream ({@link StreamAdministration#restore}) and records it.
     *
     * @param streamId the stream
     * @param actor who asks
     * @param reason why
     * @return the entry
     * @throws InvalidRequestException if an argument is missing or the stream is not soft-deleted
     * @throws dev.eventfold.eventstore.StreamDeletedException if the stream was tombstoned
     * @throws AuditException if the stream was restored but the entry could not be appended
     */
    public AuditEntry restore(String streamId, String actor, String reason) {
        checkStream(streamId, ExpectedVersion.any(), actor, reason);
        required(streams, "stream administration").restore(streamId);
        return audit(RESTORE, actor, reason, streamId, Map.of());
    }

    /**
     * Removes what a retention policy names ({@link RetentionStore#removeEvents}, each removed event archived first)
     * and, if anything went, records the run with the ranges removed. A run that removed nothing is not recorded.
     *
     * @param policy what to remove
     * @param actor who runs it (a person, or the job's name)
     * @param reason why (the policy's source, a ticket)
     * @return what was removed, and the entry (null if nothing was removed)
     * @throws InvalidRequestException if an argument is missing, or no retention store was configured
     * @throws AuditException if events were removed but the entry could not be appended
     */
    public RetentionRun applyRetention(RetentionPolicy policy, String actor, String reason) {
        if (policy == null) {
            throw new InvalidRequestException("policy must not be null");
        }
        String target = policy.streamId() != null ? policy.streamId() : "category:" + policy.category();
        check(target, actor, reason);
        List<RetentionStore.Removal> removed = required(retention, "retention store")
                .removeEvents(policy, clock.instant(), actor, reason);
        if (removed.isEmpty()) {
            return new RetentionRun(policy, removed, null);
        }
        StringBuilder ranges = new StringBuilder();
        long events = 0;
        int listed = 0;
        for (RetentionStore.Removal removal : removed) {
            events += removal.count();
            String range = removal.streamId() + ":" + removal.fromVersion() + "-" + (removal.toVersion() - 1);
            if (ranges.length() + range.length() < MAX_RANGES_LENGTH) {
                ranges.append(ranges.length() == 0 ? "" : ",").append(range);
                listed++;
            }
        }
        if (listed < removed.size()) {
            ranges.append(",...and ").append(removed.size() - listed).append(" more streams");
        }
        AuditEntry entry = audit(RETENTION, actor, reason, target, Map.of("policy", policy.toString(),
                "streams", String.valueOf(removed.size()), "events", String.valueOf(events),
                "removed", ranges.toString()));
        return new RetentionRun(policy, removed, entry);
    }

    /**
     * What {@link #applyRetention} did.
     *
     * @param policy the policy
     * @param removed what each stream lost
     * @param entry the audit entry, null if nothing was removed
     */
    public record RetentionRun(RetentionPolicy policy, List<RetentionStore.Removal> removed, AuditEntry entry) {

        /** @return how many events went */
        public long events() {
            return removed.stream().mapToLong(RetentionStore.Removal::count).sum();
        }
    }

    private void checkStream(String streamId, ExpectedVersion expected, String actor, String reason) {
        check(streamId, actor, reason);
        if (expected == null) {
            throw new InvalidRequestException("expected must not be null (ExpectedVersion.any() for none)");
        }
        if (streamId.equals(trail.streamId())) {
            throw new InvalidRequestException("the audit trail's stream '" + streamId + "' cannot be deleted");
        }
    }

    private static void check(String target, String actor, String reason) {
        AuditEntry.check("target", target, AuditEntry.MAX_NAME_LENGTH);
        AuditEntry.check("actor", actor, AuditEntry.MAX_NAME_LENGTH);
        AuditEntry.check("reason", reason, AuditEntry.MAX_REASON_LENGTH);
    }

    private static <T> T required(T part, String name) {
        if (part == null) {
            throw new InvalidRequestException("this administration has no " + name + " configured");
        }
        return part;
    }

    private AuditEntry audit(String action, String actor, String reason, String target, Map<String, String> details) {
        try {
            return trail.record(action, actor, reason, target, details);
        } catch (EventStoreException e) {
            throw new AuditException(action + " of '" + target + "' by '" + actor + "' was done but could not be "
                    + "recorded in " + trail.streamId()
                    + "; repeat it to record it: " + e.getMessage(), e);
        }
    }

    /**
     * What {@link #forget} did.
     *
     * @param subject the subject
     * @param keysDestroyed keys destroyed now (0 if it had none: never gave data, or forgotten before)
     * @param previouslyForgottenAt when it had been forgotten before this, if ever
     * @param entry the audit entry
     */
    public record Erasure(String subject, int keysDestroyed, Optional<Instant> previouslyForgottenAt,
            AuditEntry entry) {
    }

    /** Builds an {@link Administration}. Not thread-safe. */
    public static final class Builder {

        private final AuditTrail trail;
        private PersonalDataProtection protection;
        private StreamAdministration streams;
        private RetentionStore retention;
        private InstantSource clock = InstantSource.system();

        private Builder(AuditTrail trail) {
            this.trail = trail;
        }

        /**
         * @param value the protection whose subjects {@link #forget} and {@link #rotateKey} act on
         * @return this builder
         */
        public Builder protection(PersonalDataProtection value) {
            this.protection = value;
            return this;
        }

        /**
         * @param value the store's administration, for {@link #tombstone}, {@link #softDelete}, {@link #restore}
         * @return this builder
         */
        public Builder streams(StreamAdministration value) {
            this.streams = value;
            return this;
        }

        /**
         * @param value the store's removal of old events, for {@link #applyRetention}
         * @return this builder
         */
        public Builder retention(RetentionStore value) {
            this.retention = value;
            return this;
        }

        /**
         * @param value the clock retention's {@code maxAge} counts back from (the system clock by default)
         * @return this builder
         */
        public Builder clock(InstantSource value) {
            this.clock = value;
            return this;
        }

        /** @return the administration */
        public Administration build() {
            return new Administration(this);
        }
    }
}
