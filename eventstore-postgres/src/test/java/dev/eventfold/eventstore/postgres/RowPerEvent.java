package dev.eventfold.eventstore.postgres;

import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/** Writes one row per event into a table without a key: a duplicate or lost write shows in the count. */
final class RowPerEvent implements Projection<Connection> {

    private final String table;

    /** @param table the table, qualified with its schema; made by the projection's reset */
    RowPerEvent(String table) {
        this.table = table;
    }

    @Override
    public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws Exception {
        try (PreparedStatement statement = context.transaction().prepareStatement(
                "INSERT INTO " + table + " (event_id) VALUES (?)")) {
            statement.setObject(1, event.eventId());
            statement.executeUpdate();
        }
    }

    @Override
    public void reset(ProjectionContext<Connection> context) throws Exception {
        try (Statement statement = context.transaction().createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (event_id uuid)");
            statement.execute("TRUNCATE " + table);
        }
    }
}
