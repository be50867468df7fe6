package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionStore;
import dev.eventfold.eventstore.tck.ProjectionContract;
import dev.eventfold.eventstore.tck.StoreFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

class PostgresProjectionContractTest extends ProjectionContract<Connection> {

    private PostgresStoreFixture postgres;

    @Override
    protected StoreFixture createFixture() {
        postgres = new PostgresStoreFixture();
        return postgres;
    }

    @Override
    protected ProjectionStore<Connection> projectionStoreFor(EventStore target) {
        return PostgresProjectionStore.create(postgres.dataSource(), schemaOf(target));
    }

    @Override
    protected Ledger<Connection> ledgerFor(EventStore target) {
        return new TableLedger(postgres.dataSource(), schemaOf(target));
    }

    private static String schemaOf(EventStore target) {
        return ((PostgresEventStore) target).options().schema();
    }

    /**
     * A read model table per version, written in the runner's transaction. A plain INSERT with the event id as primary
     * key: applying an event twice would fail, so exactly-once is checked, not assumed.
     */
    static final class TableLedger implements Ledger<Connection> {
        private final DataSource dataSource;
        private final String schema;

        TableLedger(DataSource dataSource, String schema) {
            this.dataSource = dataSource;
            this.schema = schema;
        }

        private String table(int version) {
            return schema + ".ledger_v" + version;
        }

        @Override
        public void record(ProjectionContext<Connection> context, RecordedEvent event) throws SQLException {
            try (PreparedStatement statement = context.transaction().prepareStatement(
                    "INSERT INTO " + table(context.version()) + " (event_id) VALUES (?)")) {
                statement.setObject(1, event.eventId());
                statement.executeUpdate();
            }
        }

        @Override
        public void reset(ProjectionContext<Connection> context) throws SQLException {
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table(context.version())
                        + " (seq bigint GENERATED ALWAYS AS IDENTITY, event_id uuid PRIMARY KEY)");
                statement.execute("TRUNCATE " + table(context.version()));
            }
        }

        @Override
        public List<UUID> applied(int version) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table(version) + "')")) {
                    exists.next();
                    if (exists.getString(1) == null) {
                        return List.of();
                    }
                }
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT event_id FROM " + table(version) + " ORDER BY seq")) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
