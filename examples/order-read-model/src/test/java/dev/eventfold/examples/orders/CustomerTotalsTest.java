package dev.eventfold.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventFilter;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.jdbi.JdbiProjection;
import dev.eventfold.eventstore.jdbi.JdbiProjections;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.projection.ProjectionState;
import dev.eventfold.eventstore.projection.RetryPolicy;
import dev.eventfold.examples.orders.CustomerTotalsQueries.CustomerTotal;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The customer totals read model on a real PostgreSQL. Every test gets a fresh schema (event store, projection
 * tables and read-model tables), since the active version of a projection is state that outlives a test.
 */
class CustomerTotalsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static HikariDataSource dataSource;

    private final List<ProjectionRunner<Connection>> runners = new ArrayList<>();
    private String schema;
    private PostgresEventStore store;
    private PostgresProjectionStore projections;
    private Orders orders;
    private CustomerTotalsQueries queries;

    @BeforeAll
    static void openPool() {
        dataSource = TestDatabase.pool();
    }

    @AfterAll
    static void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @BeforeEach
    void newSchema() {
        schema = TestDatabase.newSchema(dataSource);
        store = PostgresEventStore.builder(dataSource).schema(schema).build();
        projections = PostgresProjectionStore.create(dataSource, schema);
        orders = new Orders(store);
        queries = new CustomerTotalsQueries(Jdbi.create(dataSource), projections, schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        runners.forEach(ProjectionRunner::close);
        if (store != null) {
            store.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(dataSource, schema);
        }
    }

    @Test
    void an_order_is_in_the_read_model_once_the_runner_passed_its_position() throws Exception {
        ProjectionRunner<Connection> runner = start(CustomerTotalsProjection.runner(store, dataSource, schema, 1));
        awaitActive(1);

        orders.place("o-1", "ada", new BigDecimal("12.50"));
        orders.place("o-2", "bob", new BigDecimal("3.00"));
        AppendResult last = orders.place("o-3", "ada", new BigDecimal("7.50"));

        // Read-your-writes: wait for the projection to pass our append, then query.
        assertThat(runner.awaitPosition(last.lastLogPosition(), TIMEOUT)).isTrue();
        assertThat(queries.find("ada")).hasValueSatisfying(ada -> {
            assertThat(ada.orders()).isEqualTo(2);
            assertThat(ada.total()).isEqualByComparingTo("20.00");
            assertThat(ada.readModelVersion()).isEqualTo(1);
        });
        assertThat(queries.find("bob")).get().extracting(CustomerTotal::orders).isEqualTo(1L);
        assertThat(queries.find("carol")).isEmpty();
    }

    @Test
    void version_2_is_built_beside_version_1_and_takes_over_once_caught_up() throws Exception {
        ProjectionRunner<Connection> v1 = start(CustomerTotalsProjection.runner(store, dataSource, schema, 1));
        awaitActive(1);
        AppendResult last = null;
        for (int i = 0; i < 300; i++) {
            last = orders.place("o-" + i, "c-" + (i % 3), new BigDecimal("10"));
            if (i % 10 == 0) {
                last = orders.cancel("o-" + i);   // 10 cancelled orders per customer
            }
        }
        assertThat(v1.awaitPosition(last.lastLogPosition(), TIMEOUT)).isTrue();
        assertThat(queries.find("c-0")).get().isEqualTo(
                new CustomerTotal("c-0", 100, 0, new BigDecimal("1000"), 1));   // v1 ignores cancellations

        // A client keeps querying throughout the switch.
        List<Integer> answeredBy = new CopyOnWriteArrayList<>();
        AtomicBoolean querying = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (querying.get()) {
                answeredBy.add(queries.find("c-0").map(CustomerTotal::readModelVersion).orElse(0));
            }
        });
        client.start();

        ProjectionRunner<Connection> v2 = start(CustomerTotalsProjection.runner(store, dataSource, schema, 2));
        await().atMost(TIMEOUT).until(() -> projections.activeVersion(CustomerTotalsProjection.NAME),
                active -> active.equals(OptionalInt.of(2)));
        // Version 1's runner sees the newer active version at its next poll and stops.
        await().atMost(TIMEOUT).until(() -> !v1.isRunning());
        querying.set(false);
        client.join();

        assertThat(v1.state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(v2.state()).isEqualTo(ProjectionState.RUNNING);
        // Every query was answered, first by version 1, then by version 2, never back and forth.
        assertThat(answeredBy).doesNotContain(0).startsWith(1).endsWith(2).isSorted();
        assertThat(queries.find("c-0")).get().isEqualTo(
                new CustomerTotal("c-0", 90, 10, new BigDecimal("900"), 2));
        // The old table is still there, untouched, until someone drops it.
        assertThat(queries.find("c-0", 1)).get().extracting(CustomerTotal::orders).isEqualTo(100L);

        AppendResult after = orders.place("o-new", "c-0", new BigDecimal("5"));
        assertThat(v2.awaitPosition(after.lastLogPosition(), TIMEOUT)).isTrue();
        assertThat(queries.find("c-0")).get().extracting(CustomerTotal::orders, CustomerTotal::total)
                .containsExactly(91L, new BigDecimal("905"));
    }

    @Test
    void every_event_counts_once_across_a_failed_batch_and_a_restart() throws Exception {
        for (int i = 0; i < 25; i++) {
            orders.place("o-" + i, "dora", BigDecimal.ONE);
        }
        AppendResult last = orders.place("o-25", "dora", BigDecimal.ONE);

        // Batches of 10; the 7th event fails once: the first batch rolls back, six rows' updates and checkpoint alike.
        ProjectionRunner<Connection> first = start(ProjectionRunner.builder(store, projections,
                        CustomerTotalsProjection.NAME,
                        JdbiProjections.of(new FailsOnce(new CustomerTotalsProjection(schema), 7)))
                .batchSize(10)
                .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100)))
                .build());
        assertThat(first.awaitPosition(last.lastLogPosition(), TIMEOUT)).isTrue();
        assertThat(queries.find("dora", 1)).get().extracting(CustomerTotal::orders).isEqualTo(26L);
        assertThat(first.deadLetters()).isEmpty();

        // Stop, append while no runner runs, start a new runner: it resumes at the committed checkpoint.
        first.close();
        for (int i = 26; i < 35; i++) {
            orders.place("o-" + i, "dora", BigDecimal.ONE);
        }
        last = orders.place("o-35", "dora", BigDecimal.ONE);
        ProjectionRunner<Connection> restarted = start(CustomerTotalsProjection.runner(store, dataSource, schema, 1));
        assertThat(restarted.awaitPosition(last.lastLogPosition(), TIMEOUT)).isTrue();

        assertThat(restarted.eventsProcessed()).isEqualTo(10);
        assertThat(restarted.position()).isEqualTo(last.lastLogPosition());
        CustomerTotal dora = queries.find("dora", 1).orElseThrow();
        assertThat(dora.orders()).isEqualTo(36);
        assertThat(dora.total()).isEqualByComparingTo("36");
    }

    private ProjectionRunner<Connection> start(ProjectionRunner<Connection> runner) {
        runners.add(runner);
        runner.start();
        return runner;
    }

    /** A version serves queries once it has caught up with the log and made itself active. */
    private void awaitActive(int version) {
        await().atMost(TIMEOUT).until(() -> projections.activeVersion(CustomerTotalsProjection.NAME),
                active -> active.equals(OptionalInt.of(version)));
    }

    /** Fails the n-th event it is given, once, as a crash in the middle of a batch would. */
    private static final class FailsOnce implements JdbiProjection {
        private final JdbiProjection delegate;
        private final int failAt;
        private final AtomicInteger seen = new AtomicInteger();

        FailsOnce(JdbiProjection delegate, int failAt) {
            this.delegate = delegate;
            this.failAt = failAt;
        }

        @Override
        public EventFilter filter() {
            return delegate.filter();
        }

        @Override
        public void reset(Handle handle, ProjectionContext<Connection> context) throws Exception {
            delegate.reset(handle, context);
        }

        @Override
        public void apply(Handle handle, RecordedEvent event, ProjectionContext<Connection> context)
                throws Exception {
            if (seen.incrementAndGet() == failAt) {
                throw new IllegalStateException("simulated failure in the middle of a batch");
            }
            delegate.apply(handle, event, context);
        }
    }
}
