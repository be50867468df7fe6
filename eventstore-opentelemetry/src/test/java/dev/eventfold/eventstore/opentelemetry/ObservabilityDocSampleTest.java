package dev.eventfold.eventstore.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.aggregate.AggregateListener;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.micrometer.EventStoreMetrics;
import dev.eventfold.eventstore.micrometer.ReaderHorizonMetrics;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionListener;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.tck.Accounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The samples of {@code docs/observability.md}, run against PostgreSQL (the page shows the tagged regions). */
class ObservabilityDocSampleTest {

    /** A projection that does nothing, standing in for the reader's own. */
    private static final class Summaries implements Projection<Connection> {
        @Override
        public void apply(ProjectionContext<Connection> context, dev.eventfold.eventstore.RecordedEvent event) {
        }
    }

    @Test
    void the_observability_samples_run() throws Exception {
        String schema = "obsdoc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = System.getenv().getOrDefault("EVENTFOLD_TEST_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetry openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (HikariDataSource pool = PostgresPool.builder(base).username(System.getenv()
                .getOrDefault("EVENTFOLD_TEST_DB_USER", "postgres")).password(System.getenv(
                        "EVENTFOLD_TEST_DB_PASSWORD")).minIdle(1).maxSize(4).build()) {
            PostgresEventStoreMigrator.migrate(pool, schema);
            // tag::wiring[]
            EventStoreMetrics metrics = EventStoreMetrics.of(registry);
            EventStoreTracing tracing = EventStoreTracing.create(openTelemetry);

            PostgresEventStore postgres = PostgresEventStore.builder(pool).schema(schema)
                    .appendListener(metrics.appends())          // append count, latency, size, conflicts, replays
                    .build();
            ReaderHorizonMetrics.bind(postgres, registry);      // what holds subscribers back
            EventStore store = tracing.store(postgres);         // append spans; trace context into event metadata

            AggregateRepository<Accounts.Command, Accounts.Account, Accounts.Event> accounts = AggregateRepository
                    .builder(store, Accounts.DECIDER, Accounts.EVENT_TYPES).category("account")
                    .listener(AggregateListener.all(metrics.loads("account"), tracing.aggregateListener()))
                    .build();

            ProjectionRunner<Connection> runner = ProjectionRunner.builder(postgres,
                            PostgresProjectionStore.create(pool, schema), "account-summary",
                            tracing.projection(new Summaries()))   // each event applied in its command's trace
                    .listener(ProjectionListener.all(metrics.projections(), tracing.projectionListener()))
                    .build();
            metrics.bindLag(runner);
            // end::wiring[]
            runner.start();
            try {
                var opened = accounts.handle("a1", new Accounts.Open("ada")).logPosition().orElseThrow();
                assertThat(runner.awaitPosition(opened, Duration.ofSeconds(10))).isTrue();
            } finally {
                runner.close();
                accounts.close();
                postgres.close();
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
        assertThat(registry.get("eventstore.append.duration").tags("outcome", "appended").timer().count())
                .isEqualTo(1);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("load account",
                "append account", "project account-summary", "projection batch account-summary");
    }
}
