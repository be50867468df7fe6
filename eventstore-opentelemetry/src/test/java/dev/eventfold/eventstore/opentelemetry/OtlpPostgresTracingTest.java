package dev.eventfold.eventstore.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventfold.eventstore.AppendResult;
import dev.eventfold.eventstore.EventData;
import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.ExpectedVersion;
import dev.eventfold.eventstore.LogPosition;
import dev.eventfold.eventstore.RecordedEvent;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresEventStoreMigrator;
import dev.eventfold.eventstore.postgres.PostgresPool;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.projection.Projection;
import dev.eventfold.eventstore.projection.ProjectionContext;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real PostgreSQL: spans exported over OTLP/HTTP to a receiver this test runs on loopback, a projection
 * writing its read model in the trace of the command, and exact retries from other traces on every append path.
 */
class OtlpPostgresTracingTest {

    private final String schema = "tracing_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<byte[]> exports = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private HikariDataSource pool;
    private PostgresEventStore raw;
    private OpenTelemetrySdk sdk;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            exports.add(body.toByteArray());
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String endpoint = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                        .setResource(Resource.getDefault().toBuilder().put("service.name", "tracing-test").build())
                        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(endpoint).build()).build()).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        String base = System.getenv().getOrDefault("EVENTFOLD_TEST_JDBC_URL",
                "jdbc:postgresql://127.0.0.1:5432/postgres");
        pool = PostgresPool.builder(base).username(System.getenv().getOrDefault("EVENTFOLD_TEST_DB_USER", "postgres"))
                .password(System.getenv("EVENTFOLD_TEST_DB_PASSWORD")).minIdle(1).maxSize(6).build();
        PostgresEventStoreMigrator.migrate(pool, schema);
        raw = PostgresEventStore.builder(pool).schema(schema).build();
    }

    @AfterEach
    void stop() throws Exception {
        raw.close();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        pool.close();
        sdk.close();
        receiver.stop(0);
    }

    /** Writes, per event, the trace id current while it was applied, into a read-model table. */
    private final class TracedRows implements Projection<Connection> {
        @Override
        public void reset(ProjectionContext<Connection> context) throws Exception {
            try (Statement statement = context.transaction().createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + schema + ".seen (event_id uuid PRIMARY KEY, "
                        + "trace_id text NOT NULL)");
            }
        }

        @Override
        public void apply(ProjectionContext<Connection> context, RecordedEvent event) throws Exception {
            try (PreparedStatement insert = context.transaction().prepareStatement("INSERT INTO " + schema
                    + ".seen VALUES (?, ?)")) {
                insert.setObject(1, event.eventId());
                insert.setString(2, Span.current().getSpanContext().getTraceId());
                insert.executeUpdate();
            }
        }
    }

    @Test
    void spans_reach_an_otlp_receiver_and_the_read_model_row_is_written_in_the_commands_trace() throws Exception {
        EventStoreTracing tracing = EventStoreTracing.create(sdk);
        EventStore store = tracing.store(raw);
        Span request = sdk.getTracer("test").spanBuilder("POST /api/orders").startSpan();
        AppendResult result;
        try (Scope ignored = request.makeCurrent()) {
            result = store.append("order-1", ExpectedVersion.noStream(), EventData.of("OrderPlaced", "{}"));
        } finally {
            request.end();
        }
        ProjectionRunner<Connection> runner = ProjectionRunner.builder(raw, PostgresProjectionStore.create(pool,
                schema), "order-summary", tracing.projection(new TracedRows()))
                .listener(tracing.projectionListener()).build();
        runner.start();
        try {
            assertThat(runner.awaitPosition(result.lastLogPosition(), Duration.ofSeconds(10))).isTrue();
        } finally {
            runner.close();
        }
        String traceId = request.getSpanContext().getTraceId();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT trace_id FROM " + schema + ".seen")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(traceId);
        }

        assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(exports).isNotEmpty();
        assertThat(contentTypes).allSatisfy(type -> assertThat(type).isEqualTo("application/x-protobuf"));
        byte[] all = Traces.concat(exports);
        assertThat(Traces.indexOf(all, HexFormat.of().parseHex(traceId))).as("the trace id's 16 bytes in the export")
                .isNotNegative();
        for (String name : List.of("append order", "project order-summary", "projection batch order-summary",
                "tracing-test")) {
            assertThat(Traces.indexOf(all, name.getBytes(StandardCharsets.UTF_8))).as("'%s' in the export", name)
                    .isNotNegative();
        }
    }

    @Test
    void exact_retries_from_other_traces_get_the_original_result_on_every_append_path() {
        EventStore store = EventStoreTracing.create(sdk).store(raw);
        List<EventData> first = List.of(EventData.of("OrderPlaced", "{\"total\": 1}"));
        List<EventData> batch = List.of(EventData.of("ItemAdded", "{}"), EventData.of("ItemAdded", "{\"n\":2}"));
        List<EventData> anyMode = List.of(EventData.of("OrderPaid", "{}"));
        List<Supplier<AppendResult>> appends = List.of(
                () -> store.append("order-1", ExpectedVersion.noStream(), first),
                () -> store.append("order-1", ExpectedVersion.exactly(0), batch),
                () -> store.append("order-1", ExpectedVersion.any(), anyMode));

        for (Supplier<AppendResult> append : appends) {
            AppendResult original = Traces.inNewTrace(sdk, append);
            assertThat(Traces.inNewTrace(sdk, append)).isEqualTo(original);
        }
        assertThat(raw.readAll(LogPosition.START)).hasSize(4);
    }
}
