package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.EventStoreUnavailableException;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.InvalidRequestException;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.Payload;
import dev.eventfold.eventstore.ReadDirection;
import dev.eventfold.eventstore.StreamEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Migrations, the append-only guard, the schema check at start, and the pool's validated defaults. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaTest {

    private HikariDataSource pool;
    private String schema;

    @BeforeAll
    void setUp() {
        pool = TestDatabase.pool(4);
        schema = TestDatabase.newSchema(pool);
    }

    @AfterAll
    void tearDown() {
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    @Test
    void migrating_again_applies_nothing() {
        assertThat(PostgresEventStoreMigrator.migrate(pool, schema)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UPDATE %s.events SET event_type = 'Changed'", "DELETE FROM %s.events",
            "TRUNCATE %s.events"})
    void the_events_table_rejects_changes(String sql) throws SQLException {
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            store.append("order-1", ExpectedVersion.any(), EventData.of("Placed", "{}"));
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(String.format(sql, schema)))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo(SqlErrors.APPEND_ONLY))
                    .hasMessageContaining("the events table is append-only");
        }
    }

    /**
     * Payloads are stored as {@code json} (ADR 0004): every read returns the bytes that were appended, white space,
     * key order and number spelling included, where {@code jsonb} would have re-printed them.
     */
    @Test
    void payloads_come_back_byte_for_byte_from_every_read() throws SQLException {
        String json = "{ \"z\" : 1.50,\n  \"a\": [2e2, \"\\u00e9t\u00e9\"], \"m\":{} }";
        EventData event = EventData.of("Spelled", json);
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            store.append("spelling-1", ExpectedVersion.noStream(), event);
            assertThat(store.readStream("spelling-1", ReadDirection.FORWARD, 0, 10).get(0).payload().asString())
                    .isEqualTo(json);
            assertThat(store.readStreamForFolding("spelling-1", 0, 10).get(0).payload().asString()).isEqualTo(json);
            assertThat(store.readAll(LogPosition.START, EventFilter.all(), 1000).stream()
                    .filter(e -> e.streamId().equals("spelling-1")).findFirst().orElseThrow().payload().asString())
                    .isEqualTo(json);
            // An exact retry is recognised by JSON equality, as before: the same event with its payload re-spaced.
            EventData respaced = new EventData(event.eventId(), "Spelled",
                    Payload.ofJson("{\"a\":[200,\"\u00e9t\u00e9\"],\"m\":{},\"z\":1.5}"), event.metadata());
            assertThat(store.append("spelling-1", ExpectedVersion.noStream(), respaced).nextExpectedVersion()).isZero();
        }
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT data_type FROM information_schema.columns WHERE "
                        + "table_schema = '" + schema + "' AND table_name = 'events' AND column_name = 'payload'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("json");
        }
    }

    /**
     * A library of schema version 6 sends jsonb payloads to the append functions; the wrappers version 7 keeps under
     * those signatures append for it during a rolling deploy, and the new reads see its events, schema version too.
     */
    @Test
    void the_schema_version_6_append_signatures_still_append() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try (PreparedStatement one = connection.prepareStatement("SELECT stream_version FROM " + schema
                    + ".append_event(?, ?::smallint, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
                one.setString(1, "oldlib-1");
                one.setShort(2, (short) 1);
                one.setLong(3, -1);
                one.setObject(4, UUID.randomUUID());
                one.setString(5, "Old");
                one.setString(6, "{\"n\": 1}");
                one.setString(7, "{\"headers\": {\"schemaVersion\": \"2\"}}");
                try (ResultSet rs = one.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
            try (PreparedStatement batch = connection.prepareStatement("SELECT stream_version FROM " + schema
                    + ".append_events(?, ?::smallint, ?, ?, ?, ?::jsonb[], ?::jsonb[], ?)")) {
                batch.setString(1, "oldlib-1");
                batch.setShort(2, (short) 3);
                batch.setLong(3, 0);
                batch.setArray(4, connection.createArrayOf("uuid", new UUID[] {UUID.randomUUID(), UUID.randomUUID()}));
                batch.setArray(5, connection.createArrayOf("text", new String[] {"Old", "Old"}));
                batch.setArray(6, connection.createArrayOf("text", new String[] {"{\"n\": 2}", "{\"n\": 3}"}));
                batch.setArray(7, connection.createArrayOf("text", new String[] {"{}", "{}"}));
                batch.setString(8, null);
                try (ResultSet rs = batch.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(2);
                }
            }
        }
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            List<StreamEvent> events = store.readStreamForFolding("oldlib-1", 0, 10);
            assertThat(events).extracting(e -> e.payload().asString())
                    .containsExactly("{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}");
            assertThat(events).extracting(StreamEvent::schemaVersion).containsExactly("2", null, null);
            assertThat(events).extracting(StreamEvent::last).containsExactly(false, false, true);
        }
    }

    /**
     * The plain single-event statements of {@code append-one.sql} append only where {@code append_events} would append
     * the same event, and otherwise return no row and write nothing; the store then asks {@code append_events} (the
     * contract suites cover that answer). Run directly here, so that a statement that never succeeds, or one that
     * appends where it must not, cannot hide behind the fallback.
     */
    @Test
    void the_plain_single_event_statements_write_only_where_the_expected_version_holds() throws SQLException {
        Sql sql = new Sql(schema);
        short noStream = 1;
        short exists = 2;
        short exactly = 3;
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
                Connection connection = pool.getConnection()) {
            assertThat(plain(connection, sql.appendToStream, "plain-1", exists, -1)).as("no stream yet").isEmpty();
            assertThat(plain(connection, sql.appendToNewStream, "plain-1", noStream, -1)).contains(0L);
            assertThat(plain(connection, sql.appendToNewStream, "plain-1", noStream, -1)).as("exists").isEmpty();
            assertThat(plain(connection, sql.appendToStream, "plain-1", exactly, 0)).contains(1L);
            assertThat(plain(connection, sql.appendToStream, "plain-1", exactly, 0)).as("stale version").isEmpty();
            assertThat(plain(connection, sql.appendToStream, "plain-1", exactly, 5)).as("version ahead").isEmpty();
            assertThat(plain(connection, sql.appendToStream, "plain-1", noStream, -1)).as("exists").isEmpty();
            assertThat(plain(connection, sql.appendToStream, "plain-1", exists, -1)).contains(2L);
            assertThat(plain(connection, sql.appendToStream, "plain-2", exactly, 0)).as("no stream").isEmpty();
            assertThat(plain(connection, sql.appendToNewStream, "plain-2", exactly, 0)).as("not no-stream").isEmpty();
            store.softDelete("plain-1", ExpectedVersion.exactly(2));
            assertThat(plain(connection, sql.appendToStream, "plain-1", exactly, 2)).as("soft-deleted").isEmpty();
            store.restore("plain-1");
            store.tombstone("plain-1", ExpectedVersion.exactly(2));
            assertThat(plain(connection, sql.appendToStream, "plain-1", exactly, 2)).as("tombstoned").isEmpty();
            assertThat(plain(connection, sql.appendToStream, "plain-1", exists, -1)).as("tombstoned").isEmpty();
            assertThat(store.isDeleted("plain-1")).isTrue();
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                    "SELECT count(*), max(stream_version) FROM " + schema + ".events WHERE stream_id LIKE 'plain-%'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3);
                assertThat(rs.getLong(2)).isEqualTo(2);
            }
        }
    }

    /**
     * The statement of coalesced appends ({@code append-to-streams}, ADR 0008) makes, row by row, exactly the appends
     * the plain statements would make and no other: run directly with one row per case, so that a row it wrongly
     * skips (which the fallback would hide) or wrongly writes shows here.
     */
    @Test
    void the_coalesced_statement_makes_each_row_the_plain_statements_would_make() throws SQLException {
        Sql sql = new Sql(schema);
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
                Connection connection = pool.getConnection()) {
            for (String stream : List.of("many-exact", "many-stale", "many-exists", "many-any", "many-taken",
                    "many-gone", "many-hidden")) {
                store.append(stream, ExpectedVersion.noStream(), EventData.of("Plain", "{}"));
            }
            store.tombstone("many-gone", ExpectedVersion.any());
            store.softDelete("many-hidden", ExpectedVersion.any());
            String[] streams = {"many-exact", "many-stale", "many-exists", "many-any", "many-new", "many-taken",
                "many-absent-any", "many-absent-exists", "many-gone", "many-hidden"};
            Short[] modes = {3, 3, 2, 0, 1, 1, 0, 2, 0, 3};
            Long[] expected = {0L, 5L, -1L, -1L, -1L, -1L, -1L, -1L, -1L, 0L};
            Map<String, Long> made = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(sql.appendToStreams)) {
                int n = streams.length;
                UUID[] ids = new UUID[n];
                String[] texts = new String[n];
                String[] json = new String[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = UUID.randomUUID();
                    texts[i] = "Many";
                    json[i] = "{\"i\": " + i + "}";
                }
                statement.setArray(1, connection.createArrayOf("text", streams));
                statement.setArray(2, connection.createArrayOf("int2", modes));
                statement.setArray(3, connection.createArrayOf("int8", expected));
                statement.setArray(4, connection.createArrayOf("uuid", ids));
                statement.setArray(5, connection.createArrayOf("text", texts));
                statement.setArray(6, connection.createArrayOf("text", json));
                statement.setArray(7, connection.createArrayOf("text", json));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        made.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            assertThat(made).isEqualTo(Map.of("many-exact", 1L, "many-exists", 1L, "many-any", 1L, "many-new", 0L));
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(
                    "SELECT count(*), count(DISTINCT transaction_id), count(DISTINCT stream_id) FROM " + schema
                            + ".events WHERE event_type = 'Many'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("events written").isEqualTo(4);
                assertThat(rs.getLong(2)).as("in one transaction").isEqualTo(1);
                assertThat(rs.getLong(3)).isEqualTo(4);
            }
            assertThat(store.readStream("many-exact", ReadDirection.FORWARD, 0, 10)).extracting(e -> e.payload()
                    .asString()).containsExactly("{}", "{\"i\": 0}");
            assertThat(store.readStream("many-stale", ReadDirection.FORWARD, 0, 10)).hasSize(1);
        }
    }

    /**
     * Releases before schema version 13 locked streams with {@code hashtextextended(id, 0)} written out; during a
     * rolling deploy their appends and this release's must still exclude each other, so the one definition of the
     * key must keep that value.
     */
    @Test
    void the_stream_lock_key_is_the_one_earlier_releases_lock() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT bool_and(" + schema + ".stream_lock_key(id) = "
                        + "hashtextextended(id, 0)), count(*) FROM (VALUES ('order-1'), ('Ünïcode-ß'), ('')) v(id)")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getLong(2)).isEqualTo(3);
        }
    }

    /** Runs one of the plain statements; returns the appended version, or empty for no row. */
    private static Optional<Long> plain(Connection connection, String query, String streamId, short mode,
            long expected) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, streamId);
            statement.setString(2, streamId);
            statement.setShort(3, mode);
            statement.setLong(4, expected);
            statement.setString(5, streamId);
            statement.setObject(6, UUID.randomUUID());
            statement.setString(7, "Plain");
            statement.setString(8, "{\"n\": 1}");
            statement.setString(9, "{}");
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The grants of docs/postgres.md ("Roles and grants"), verbatim but for the names. */
    private static final String APP_ROLE_GRANTS = """
            GRANT USAGE ON SCHEMA %1$s TO %2$s;
            GRANT SELECT, INSERT ON %1$s.events TO %2$s;
            GRANT SELECT, INSERT, UPDATE ON %1$s.streams TO %2$s;
            GRANT SELECT, INSERT, UPDATE, DELETE ON %1$s.snapshots TO %2$s;
            GRANT SELECT, INSERT, DELETE ON %1$s.personal_data_keys TO %2$s;
            GRANT SELECT, INSERT, UPDATE ON %1$s.personal_data_forgotten TO %2$s;
            GRANT SELECT ON %1$s.events_archive TO %2$s;
            GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %1$s TO %2$s;
            """;

    @Test
    void the_documented_application_grants_allow_appends_and_reads_and_nothing_else() throws SQLException {
        String role = schema + "_app";
        TestDatabase.execute(pool, "CREATE ROLE " + role + " NOLOGIN");
        try {
            TestDatabase.execute(pool, String.format(APP_ROLE_GRANTS, schema, role));
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET ROLE " + role);
                try {
                    assertThat(RawAppend.append(connection, schema, "grants-1", List.of(UUID.randomUUID()), null))
                            .hasSize(1);
                    try (ResultSet rs = statement.executeQuery(String.format(
                            "SELECT count(*) FROM %s.events WHERE stream_id = 'grants-1'", schema))) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(1);
                    }
                    // Forgetting a subject works under these grants (keys deleted, the erasure recorded) ...
                    statement.execute(String.format("INSERT INTO %s.personal_data_keys (key_id, subject, "
                            + "wrapped_key) VALUES (gen_random_uuid(), 'c-1', '\\x00')", schema));
                    statement.execute(String.format("DELETE FROM %s.personal_data_keys WHERE subject = 'c-1'", schema));
                    statement.execute(String.format("INSERT INTO %s.personal_data_forgotten VALUES ('c-1', now(), 1) "
                            + "ON CONFLICT (subject) DO UPDATE SET forgotten_at = excluded.forgotten_at", schema));
                    // Old events leave only through remove_events, which archives them (and runs as the owner) ...
                    try (ResultSet rs = statement.executeQuery(String.format("SELECT to_version FROM %s.remove_events("
                            + "'grants-1', 1, NULL, NULL, 'ops', 'test')", schema))) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getLong(1)).isEqualTo(1);
                    }
                    try (ResultSet rs = statement.executeQuery(String.format(
                            "SELECT count(*) FROM %s.events_archive WHERE stream_id = 'grants-1'", schema))) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(1);
                    }
                    statement.execute("SET eventfold.removing = 'on'");
                    // ... but nothing else: no rewriting of the log (the audit trail is in it), no swapping of a key,
                    // no erasing of the record of an erasure.
                    for (String forbidden : List.of("UPDATE %s.events SET event_type = 'x'", "DELETE FROM %s.events",
                            "TRUNCATE %s.events", "DROP TABLE %s.events", "DELETE FROM %s.streams",
                            "UPDATE %s.personal_data_keys SET wrapped_key = '\\x01'",
                            "DELETE FROM %s.personal_data_forgotten", "TRUNCATE %s.personal_data_keys",
                            "DELETE FROM %s.events_archive", "INSERT INTO %s.events_archive SELECT * FROM "
                                    + "%1$s.events_archive")) {
                        assertThatThrownBy(() -> statement.execute(String.format(forbidden, schema)))
                                .as(forbidden).isInstanceOfSatisfying(SQLException.class,
                                        e -> assertThat(e.getSQLState()).isIn("42501", SqlErrors.APPEND_ONLY));
                    }
                } finally {
                    statement.execute("RESET ROLE");
                    statement.execute("RESET eventfold.removing"); // a pooled connection: leave no flag behind
                }
            }
        } finally {
            TestDatabase.execute(pool, "DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    @Test
    void building_a_store_on_an_unmigrated_schema_says_what_to_run() {
        assertThatThrownBy(() -> PostgresEventStore.builder(pool).schema("not_migrated_here").build())
                .isInstanceOf(EventStoreUnavailableException.class)
                .hasMessage("Event store unavailable: schema 'not_migrated_here' holds no event store; run "
                        + "PostgresEventStoreMigrator.migrate(dataSource, \"not_migrated_here\") or 'reference-server "
                        + "migrate'");
    }

    @Test
    void options_are_validated_with_named_settings() {
        assertThatThrownBy(() -> PostgresEventStore.builder(pool).schema("Bad-Schema").build())
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("schema must be a lower-case SQL identifier");
        assertThatThrownBy(() -> PostgresEventStore.builder(pool).schema(schema).pageSize(0).build())
                .hasMessageContaining("pageSize must be between 1 and 1000");
        assertThatThrownBy(() -> PostgresEventStore.builder(pool).schema(schema).notificationChannel("x;y").build())
                .hasMessageContaining("notificationChannel must be a lower-case SQL identifier");
        assertThatThrownBy(() -> PostgresEventStore.builder(pool).maxPollInterval(Duration.ZERO).build())
                .hasMessageContaining("maxPollInterval must be between 10 ms and 1 min");
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build()) {
            assertThat(store.options().notificationChannel()).isEqualTo(schema + "_events");
        }
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).withoutNotifications()
                .build()) {
            assertThat(store.options().notificationChannel()).isNull();
        }
    }

    @Test
    void the_pool_runs_with_the_seed_defaults() throws SQLException {
        try (HikariDataSource seeded = PostgresPool.builder(TestDatabase.JDBC_URL).username(TestDatabase.USER)
                .password(TestDatabase.PASSWORD).build()) {
            try (Connection ignored = seeded.getConnection()) {
                assertThat(seeded.getMinimumIdle()).isEqualTo(5);
                assertThat(seeded.getMaximumPoolSize()).isEqualTo(20);
                assertThat(seeded.getIdleTimeout()).as("HikariCP kept 10 s, not its 10-minute fallback")
                        .isEqualTo(10_000);
                assertThat(seeded.getConnectionTimeout()).isEqualTo(60_000);
            }
        }
    }

    @Test
    void pool_settings_below_their_floor_are_rejected_not_repaired() {
        assertThatThrownBy(() -> PostgresPool.builder(TestDatabase.JDBC_URL).idleTimeout(Duration.ofSeconds(5)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Invalid request: idleTimeout must be 10 s or more (HikariCP's floor), was PT5S");
        assertThatThrownBy(() -> PostgresPool.builder(TestDatabase.JDBC_URL).minIdle(30).build())
                .hasMessage("Invalid request: minIdle (30) must not exceed maxSize (20)");
        assertThatThrownBy(() -> PostgresPool.builder("jdbc:mysql://x")).isInstanceOf(InvalidRequestException.class);
    }
}
