package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running projection whose last commits are lost behind its back, as when the primary fails over to an asynchronous
 * replica that had not received them: the checkpoint and the read-model rows go back together, and the runner, which
 * still remembers the later position, must apply those events again instead of going on from where it thinks it is.
 */
class LostCommitTest {

    private HikariDataSource pool;
    private String schema;

    @BeforeEach
    void setUp() {
        pool = TestDatabase.pool(6);
        schema = TestDatabase.newSchema(pool);
    }

    @AfterEach
    void tearDown() {
        TestDatabase.dropSchema(pool, schema);
        pool.close();
    }

    @Test
    void events_whose_commit_was_lost_are_applied_again_from_the_stored_checkpoint() throws Exception {
        try (PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
                ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                        PostgresProjectionStore.create(pool, schema), "lost", new RowPerEvent(schema + ".applied"))
                        .pollInterval(Duration.ofMillis(20)).build()) {
            runner.start();
            List<UUID> ids = new ArrayList<>();
            List<LogPosition> positions = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                EventData event = EventData.of("Placed", "{}");
                ids.add(event.eventId());
                positions.add(store.append("order-" + i, ExpectedVersion.noStream(), event).lastLogPosition());
            }
            assertThat(runner.awaitPosition(positions.get(9), Duration.ofSeconds(30))).isTrue();

            loseCommitsAfter(positions.get(4), ids.subList(5, 10));
            assertThat(appliedIds()).hasSize(5);

            for (int i = 10; i < 15; i++) {
                EventData event = EventData.of("Placed", "{}");
                ids.add(event.eventId());
                store.append("order-" + i, ExpectedVersion.noStream(), event);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> appliedIds().size() >= 15);
            List<UUID> applied = appliedIds();
            assertThat(applied).as("every event applied once, the lost ones again").hasSize(15)
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** What a failover to a replica that missed the runner's last commits leaves: both halves of them gone. */
    private void loseCommitsAfter(LogPosition kept, List<UUID> lost) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + schema
                    + ".applied WHERE event_id = ?");
                    PreparedStatement back = connection.prepareStatement("UPDATE " + schema
                            + ".projection_checkpoints SET transaction_id = ?, global_position = ? WHERE projection"
                            + " = 'lost'")) {
                for (UUID id : lost) {
                    delete.setObject(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
                back.setLong(1, kept.transactionId());
                back.setLong(2, kept.globalPosition());
                assertThat(back.executeUpdate()).isEqualTo(1);
            }
            connection.commit();
        }
    }

    private List<UUID> appliedIds() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT event_id FROM " + schema + ".applied")) {
            List<UUID> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
            return ids;
        }
    }
}
