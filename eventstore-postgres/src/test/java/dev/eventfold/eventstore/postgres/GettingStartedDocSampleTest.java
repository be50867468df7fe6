package dev.eventfold.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.WrongExpectedVersionException;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.aggregate.CommandResult;
import dev.eventfold.eventstore.aggregate.Decider;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.serialization.EventTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code of docs/getting-started.md, run against PostgreSQL; DocSamplesTest checks the page shows it verbatim. */
class GettingStartedDocSampleTest {

    // tag::cart[]
    sealed interface CartCommand permits AddItem, CheckOut {
    }

    record AddItem(String sku) implements CartCommand {
    }

    record CheckOut() implements CartCommand {
    }

    sealed interface CartEvent permits ItemAdded, CheckedOut {
    }

    record ItemAdded(String sku) implements CartEvent {
    }

    record CheckedOut(int items) implements CartEvent {
    }

    record Cart(int items, boolean checkedOut) {
    }

    static final Decider<CartCommand, Cart, CartEvent> CART = Decider.of(
            () -> new Cart(0, false),
            (cart, event) -> event instanceof ItemAdded ? new Cart(cart.items() + 1, false) : new Cart(cart.items(),
                    true),
            (command, cart) -> {
                if (cart.checkedOut()) {
                    throw new IllegalArgumentException("the cart is checked out");
                }
                return command instanceof AddItem add ? List.of(new ItemAdded(add.sku()))
                        : List.of(new CheckedOut(cart.items()));
            });

    static final EventTypes<CartEvent> CART_EVENTS = EventTypes.builder(CartEvent.class)
            .register("ItemAdded", ItemAdded.class)
            .register("CheckedOut", CheckedOut.class)
            .build();
    // end::cart[]

    // tag::projection[]
    /** Counts items per cart in a table of its own, in the same transaction as the runner's checkpoint. */
    static final class ItemsPerCart implements Projection<Connection> {
        @Override
        public void reset(ProjectionContext<Connection> context) throws Exception {
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS items_per_cart (cart text PRIMARY KEY, items int)");
                statement.execute("TRUNCATE items_per_cart");
            }
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws Exception {
            if (!event.type().equals("ItemAdded")) {
                return;
            }
            try (PreparedStatement upsert = context.transaction().prepareStatement("INSERT INTO items_per_cart "
                    + "VALUES (?, 1) ON CONFLICT (cart) DO UPDATE SET items = items_per_cart.items + 1")) {
                upsert.setString(1, event.streamId());
                upsert.executeUpdate();
            }
        }
    }
    // end::projection[]

    @Test
    void the_getting_started_code_runs() throws Exception {
        String schema = "getting_started_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String jdbcUrl = TestDatabase.JDBC_URL + (TestDatabase.JDBC_URL.contains("?") ? "&" : "?")
                + "currentSchema=" + schema;
        String user = TestDatabase.USER;
        String password = TestDatabase.PASSWORD;
        // tag::connect[]
        HikariDataSource pool = PostgresPool.builder(jdbcUrl).username(user).password(password).build();
        PostgresEventStoreMigrator.migrate(pool, schema);       // creates or upgrades the store's tables
        PostgresEventStore store = PostgresEventStore.builder(pool).schema(schema).build();
        // end::connect[]
        try {
            // tag::append-read[]
            AppendResult first = store.append("cart-42", ExpectedVersion.noStream(),
                    EventData.of("ItemAdded", "{\"sku\":\"pen\"}"));
            store.append("cart-42", ExpectedVersion.exactly(first.nextExpectedVersion()),
                    EventData.of("ItemAdded", "{\"sku\":\"ink\"}"));

            List<RecordedEvent> history = store.readStreamForward("cart-42");   // versions 0 and 1
            try {
                store.append("cart-42", ExpectedVersion.exactly(0), EventData.of("CheckedOut", "{\"items\":1}"));
            } catch (WrongExpectedVersionException stale) {
                // someone appended after version 0: read again, decide again
            }
            // end::append-read[]
            assertThat(history).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L);

            // tag::aggregate[]
            AggregateRepository<CartCommand, Cart, CartEvent> carts = AggregateRepository
                    .builder(store, CART, CART_EVENTS).category("cart").build();
            carts.handle("7", new AddItem("pen"));                    // loads cart-7, decides, appends
            CommandResult<Cart, CartEvent> done = carts.handle("7", new CheckOut());
            // done.state() is Cart[items=1, checkedOut=true]; a conflicting writer means a retry, not a lost update
            // end::aggregate[]
            assertThat(done.state()).isEqualTo(new Cart(1, true));
            carts.close();

            // tag::run-projection[]
            ProjectionRunner<Connection> runner = ProjectionRunner.builder(store,
                    PostgresProjectionStore.create(pool, schema), "items-per-cart", new ItemsPerCart()).build();
            runner.start();
            boolean caughtUp = runner.awaitPosition(done.logPosition().orElseThrow(), Duration.ofSeconds(5));
            // end::run-projection[]
            runner.close();
            assertThat(caughtUp).isTrue();
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT cart, items FROM " + schema
                            + ".items_per_cart ORDER BY cart")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + "=" + rs.getInt(2)).isEqualTo("cart-42=2");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1) + "=" + rs.getInt(2)).isEqualTo("cart-7=1");
            }
        } finally {
            store.close();
            TestDatabase.dropSchema(pool, schema);
            pool.close();
        }
    }
}
