package dev.eventfold.eventstore.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.inmemory.InMemoryEventStore;
import dev.eventfold.eventstore.serialization.EventTypes;
import dev.eventfold.eventstore.serialization.StateCodec;
import dev.eventfold.eventstore.snapshot.InMemorySnapshotStore;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.eventstore.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots hold folded state, personal data included: they are encrypted too, and a forgotten state still loads. */
class ProtectedSnapshotsTest {

    record Contact(String name, String email) {
    }

    record GiveContact(String customerId, Contact contact) {
    }

    record ContactGiven(String customerId, Contact contact) {
    }

    record Profile(String customerId, Contact contact, int changes) {
    }

    static final Decider<GiveContact, Profile, ContactGiven> PROFILES = Decider.of(
            () -> new Profile(null, null, 0),
            (profile, event) -> new Profile(event.customerId(), event.contact(), profile.changes() + 1),
            (command, profile) -> List.of(new ContactGiven(command.customerId(), command.contact())));

    static final EventTypes<ContactGiven> EVENTS = EventTypes.builder(ContactGiven.class)
            .register("ContactGiven", ContactGiven.class).build();

    static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
            .event("ContactGiven", "/customerId", "/contact")
            .snapshots("profile", "/customerId", "/contact")
            .build();

    @Test
    void snapshots_are_stored_encrypted_and_a_forgotten_subjects_state_still_loads_without_its_data() {
        InMemoryEventStore raw = InMemoryEventStore.create();
        InMemorySnapshotStore rawSnapshots = new InMemorySnapshotStore();
        PersonalDataProtection protection = PersonalDataProtection.create(POLICY, new InMemoryKeyStore(),
                Duration.ZERO);
        SnapshotStore snapshots = protection.protect(rawSnapshots);
        AggregateRepository<GiveContact, Profile, ContactGiven> profiles = repository(protection, raw, snapshots);
        for (String email : List.of("ada@example.org", "ada@lovelace.org", "countess@example.org")) {
            profiles.handle("c-1", new GiveContact("c-1", new Contact("Ada Lovelace", email)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> rawSnapshots.latest("profile-c-1").isPresent());
        profiles.close();

        String stored = rawSnapshots.latest("profile-c-1").orElseThrow().state().asString();
        assertThat(stored).doesNotContain("Ada", "example.org", "lovelace").contains("\"$pd\"", "c-1");
        assertThat(snapshots.latest("profile-c-1").orElseThrow().state().asString()).contains("Ada Lovelace");

        protection.forget("c-1");

        AggregateRepository<GiveContact, Profile, ContactGiven> after = repository(protection, raw, snapshots);
        Profile profile = after.load("c-1").state();
        after.close();
        assertThat(profile).isEqualTo(new Profile("c-1", null, 3));
        assertThat(snapshots.latest("profile-c-1").orElseThrow().state().asString()).doesNotContain("Ada")
                .contains("\"contact\":null");
    }

    private static AggregateRepository<GiveContact, Profile, ContactGiven> repository(
            PersonalDataProtection protection, InMemoryEventStore raw, SnapshotStore snapshots) {
        return AggregateRepository.builder(protection.protect(raw), PROFILES, EVENTS).category("profile")
                .snapshots(snapshots, StateCodec.jackson(Profile.class, 1), SnapshotPolicy.everyNEvents(2)).build();
    }
}
