package dev.eventfold.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.serialization.EventfoldJson;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The floor: hand-written JDBC doing the same I/O as the event store, with nothing else. The same table shape and
 * indexes as {@code eventstore-postgres} (so the same write amplification), one {@code INSERT … SELECT FROM unnest}
 * per append in autocommit whose unique (stream, version) index is the concurrency check; one {@code SELECT} per load,
 * every payload deserialized with the same Jackson settings and folded with the same decider. Its event ids come
 * from the same generator as Eventfold's ({@link EventData#newEventId()}). No idempotency, no
 * notification, no stream row: that is the difference the benchmark shows.
 */
final class FloorStore implements BenchmarkStore {

    private static final ObjectMapper JSON = EventfoldJson.newMapper();
    private static final Map<String, Class<? extends OrderEvent>> TYPES = Map.of(
            "OrderPlaced", OrderEvent.OrderPlaced.class, "ItemQuantityChanged", OrderEvent.ItemQuantityChanged.class);

    /** The channel live appends notify on ({@link #appendAndNotify}). */
    static final String CHANNEL = "floor_events";

    private final HikariDataSource pool;
    private final String schema = BenchmarkDatabase.newSchemaName("floor");

    FloorStore() {
        pool = BenchmarkDatabase.pool(32, null);
        BenchmarkDatabase.execute(pool, "CREATE SCHEMA " + schema);
        BenchmarkDatabase.execute(pool, "CREATE TABLE " + schema + ".events (global_position bigint GENERATED ALWAYS "
                + "AS IDENTITY PRIMARY KEY, transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream_id text "
                + "NOT NULL, stream_version bigint NOT NULL, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, "
                + "payload json NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), "
                + "schema_version text GENERATED ALWAYS AS (metadata -> 'headers' ->> 'schemaVersion') STORED, "
                + "UNIQUE (stream_id, stream_version))");
        BenchmarkDatabase.execute(pool, "CREATE INDEX ON " + schema + ".events (transaction_id, global_position)");
        BenchmarkDatabase.execute(pool, "CREATE INDEX ON " + schema + ".events (split_part(stream_id, '-', 1), "
                + "transaction_id, global_position)");
        BenchmarkDatabase.execute(pool, "CREATE INDEX ON " + schema + ".events (event_type, transaction_id, "
                + "global_position)");
        BenchmarkDatabase.dropSecondaryIndexesIfAsked(pool, schema);
    }

    @Override
    public void append(String orderId, long expectedVersion, List<OrderEvent> events) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        String[] types = new String[n];
        String[] payloads = new String[n];
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema + ".events "
                        + "(stream_id, stream_version, event_id, event_type, payload, metadata) SELECT ?, ? + u.ord, "
                        + "u.id, u.t, u.p::json, '{}'::jsonb FROM unnest(?::uuid[], ?::text[], ?::text[]) WITH "
                        + "ORDINALITY AS u(id, t, p, ord)")) {
            for (int i = 0; i < n; i++) {
                ids[i] = EventData.newEventId();
                types[i] = events.get(i).getClass().getSimpleName();
                payloads[i] = JSON.writeValueAsString(events.get(i));
            }
            statement.setString(1, "order-" + orderId);
            statement.setLong(2, expectedVersion);
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setArray(4, connection.createArrayOf("text", types));
            statement.setArray(5, connection.createArrayOf("text", payloads));
            statement.executeUpdate();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live benchmark's writer: the insert and a NOTIFY in one statement and one transaction. */
    void appendAndNotify(String orderId, List<OrderEvent> events) {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("WITH ins AS (INSERT INTO " + schema
                        + ".events (stream_id, stream_version, event_id, event_type, payload, metadata) SELECT ?, "
                        + "u.ord - 1, gen_random_uuid(), ?, u.p::json, '{}'::jsonb FROM unnest(?::text[]) WITH "
                        + "ORDINALITY AS u(p, ord) RETURNING 1) SELECT pg_notify('" + CHANNEL + "', ''), "
                        + "(SELECT count(*) FROM ins)")) {
            String[] payloads = new String[events.size()];
            for (int i = 0; i < payloads.length; i++) {
                payloads[i] = JSON.writeValueAsString(events.get(i));
            }
            statement.setString(1, "order-" + orderId);
            statement.setString(2, events.get(0).getClass().getSimpleName());
            statement.setArray(3, connection.createArrayOf("text", payloads));
            statement.executeQuery().close();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Order load(String orderId) {
        Order order = Order.none();
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT event_type, payload::text FROM "
                        + schema + ".events WHERE stream_id = ? ORDER BY stream_version")) {
            statement.setString(1, "order-" + orderId);
            statement.setFetchSize(1000);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    order = Orders.evolve(order, JSON.readValue(rs.getString(2), TYPES.get(rs.getString(1))));
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return order;
    }

    @Override
    public void catchUp(String name, ReadModel model, long events, int batchSize) throws SQLException, IOException {
        BenchmarkDatabase.execute(pool, "CREATE TABLE IF NOT EXISTS " + schema + ".checkpoints (name text PRIMARY KEY, "
                + "position bigint NOT NULL)");
        BenchmarkDatabase.execute(pool, "INSERT INTO " + schema + ".checkpoints VALUES ('" + name + "', 0)");
        long position = 0;
        long applied = 0;
        try (Connection connection = pool.getConnection();
                PreparedStatement read = connection.prepareStatement("SELECT global_position, stream_id, "
                        + "stream_version, event_type, payload::text FROM " + schema + ".events WHERE global_position"
                        + " > ? ORDER BY global_position LIMIT ?");
                PreparedStatement checkpoint = connection.prepareStatement("UPDATE " + schema + ".checkpoints SET "
                        + "position = ? WHERE name = ?")) {
            connection.setAutoCommit(false);
            while (applied < events) {
                read.setLong(1, position);
                read.setInt(2, batchSize);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        model.apply(connection, rs.getString(2).substring("order-".length()), rs.getLong(3),
                                JSON.readValue(rs.getString(5), TYPES.get(rs.getString(4))));
                        position = rs.getLong(1);
                        applied++;
                    }
                }
                model.flush(connection);
                checkpoint.setLong(1, position);
                checkpoint.setString(2, name);
                checkpoint.executeUpdate();
                connection.commit();
            }
            connection.setAutoCommit(true);
        }
    }

    @Override
    public javax.sql.DataSource dataSource() {
        return pool;
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public void close() {
        BenchmarkDatabase.execute(pool, "DROP SCHEMA " + schema + " CASCADE");
        pool.close();
    }
}
