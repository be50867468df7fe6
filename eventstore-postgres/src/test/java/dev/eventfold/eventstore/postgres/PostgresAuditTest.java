package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.StreamDeletedException;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.audit.Administration;
import dev.eventfold.eventstore.audit.AuditEntry;
import dev.eventfold.eventstore.audit.AuditTrail;
import dev.eventfold.eventstore.privacy.KeyEncryption;
import dev.eventfold.eventstore.privacy.PersonalDataPolicy;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audited path on PostgreSQL: two "replicas" (stores and protections on one schema) see each other's actions
 * through the trail, and the trail's rows cannot be changed or removed, by the owner either.
 */
class PostgresAuditTest {

    private static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
            .event("OrderPlaced", "/customerId", "/customer").build();

    private HikariDataSource pool;
    private String schema;
    private PostgresEventStore first;
    private PostgresEventStore second;

    @BeforeEach
    void start() {
        pool = TestDatabase.pool(6);
        schema = TestDatabase.newSchema(pool);
        first = PostgresEventStore.builder(pool).schema(schema).build();
        second = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    private PersonalDataProtection protection() {
        return PersonalDataProtection.create(POLICY, PostgresKeyStore.create(pool, schema, KeyEncryption.none()),
                Duration.ofMinutes(10));
    }

    @Test
    void an_action_on_one_replica_reaches_the_others_and_its_entry_is_immutable() throws SQLException {
        PersonalDataProtection here = protection();
        PersonalDataProtection there = protection();
        EventStore hereStore = here.protect(first);
        EventStore thereStore = there.protect(second);
        hereStore.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced",
                "{\"customerId\":\"c-1\",\"customer\":{\"name\":\"Ada Lovelace\"}}"));
        assertThat(thereStore.readStreamForward("order-1").get(0).payload().asString()).contains("Ada Lovelace");

        List<AuditEntry> seenThere = new CopyOnWriteArrayList<>();
        AuditTrail thereTrail = AuditTrail.create(second);
        Administration hereAdmin = Administration.builder(AuditTrail.create(first)).protection(here).streams(first)
                .build();
        try (Subscription follower = thereTrail.follow(entry -> {
            there.evictKeys(entry.target());
            seenThere.add(entry);
        })) {
            hereAdmin.forget("c-1", "alice", "GDPR request 812");
            hereAdmin.tombstone("order-2", ExpectedVersion.noStream(), "alice", "reserved id, never to be used");
            await().atMost(Duration.ofSeconds(10)).until(() -> seenThere.size() == 2);
        }

        assertThat(seenThere).extracting(AuditEntry::action).containsExactly(Administration.FORGET,
                Administration.TOMBSTONE);
        assertThat(thereStore.readStreamForward("order-1").get(0).payload().asString())
                .as("the other replica's cached key went with the entry, not after its 10-minute TTL")
                .doesNotContain("Ada Lovelace").contains("\"customer\":null");
        assertThatThrownBy(() -> second.append("order-2", ExpectedVersion.any(), EventData.of("X", "{}")))
                .isInstanceOf(StreamDeletedException.class);
        assertThat(thereTrail.read(ReadDirection.FORWARD, 0, 10)).extracting(AuditEntry::actor)
                .containsExactly("alice", "alice");

        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (String tamper : List.of("UPDATE %s.events SET payload = '{}' WHERE stream_id = 'audit-admin'",
                    "DELETE FROM %s.events WHERE stream_id = 'audit-admin'", "TRUNCATE %s.events CASCADE")) {
                assertThatThrownBy(() -> statement.execute(String.format(tamper, schema))).as(tamper)
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo(SqlErrors.APPEND_ONLY));
            }
        }
        assertThat(thereTrail.read(ReadDirection.BACKWARD, EventStore.END, 10)).hasSize(2);
    }
}
