package dev.eventfold.server;

import dev.eventfold.eventstore.EventStore;
import dev.eventfold.eventstore.EventStoreLimits;
import dev.eventfold.eventstore.Subscription;
import dev.eventfold.eventstore.aggregate.AggregateRepository;
import dev.eventfold.eventstore.audit.Administration;
import dev.eventfold.eventstore.audit.AuditEntry;
import dev.eventfold.eventstore.audit.AuditTrail;
import dev.eventfold.eventstore.audit.RetentionJob;
import dev.eventfold.eventstore.postgres.PostgresEventStore;
import dev.eventfold.eventstore.postgres.PostgresKeyStore;
import dev.eventfold.eventstore.postgres.PostgresProjectionStore;
import dev.eventfold.eventstore.postgres.PostgresSnapshotStore;
import dev.eventfold.eventstore.privacy.KeyEncryption;
import dev.eventfold.eventstore.privacy.PersonalDataProtection;
import dev.eventfold.eventstore.projection.ProjectionRunner;
import dev.eventfold.eventstore.snapshot.SnapshotPolicy;
import dev.eventfold.orders.Order;
import dev.eventfold.orders.OrderCommand;
import dev.eventfold.orders.OrderEvent;
import dev.eventfold.orders.Orders;
import dev.eventfold.server.auth.InProcessSessionStore;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.auth.Sessions;
import dev.eventfold.server.auth.Tokens;
import dev.eventfold.server.config.ServerConfig;
import dev.eventfold.server.health.HealthChecks;
import dev.eventfold.server.health.HealthReport;
import dev.eventfold.server.health.HealthRoutes;
import dev.eventfold.server.http.AdminRoutes;
import dev.eventfold.server.http.ComplianceRoutes;
import dev.eventfold.server.http.Console;
import dev.eventfold.server.http.Drain;
import dev.eventfold.server.http.HttpApp;
import dev.eventfold.server.http.LiveEvents;
import dev.eventfold.server.http.OrderQueryRoutes;
import dev.eventfold.server.http.OrderRoutes;
import dev.eventfold.server.http.PersonalDataLog;
import dev.eventfold.server.metrics.ServerMetrics;
import dev.eventfold.server.readmodel.OrderQueries;
import dev.eventfold.server.readmodel.OrderReadModels;
import dev.eventfold.server.readmodel.ReadModelSource;
import dev.eventfold.server.redis.Redis;
import dev.eventfold.server.redis.RedisSessionStore;
import dev.eventfold.server.tracing.ServerTracing;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server, wired in one place: database, event store, order repository, read models and their runner,
 * tokens and sessions, metrics, health, the HTTP app, and the lifecycle (start, graceful stop).
 */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final ServerConfig config;
    private final Database database;
    private final Redis redis;
    private final ServerMetrics metrics;
    private final ServerTracing tracing;
    private final PostgresEventStore store;
    private final PersonalDataProtection protection;
    private final Administration administration;
    private Subscription auditFollower;
    private RetentionJob retentionJob;
    private final AggregateRepository<OrderCommand, Order, OrderEvent> orders;
    private final ProjectionRunner<Connection> readModels;
    private final Tokens tokens;
    private final HealthChecks health;
    private final Drain drain = new Drain();
    private final HttpApp http;
    private final Console console;
    private int metricsPort;

    private Server(ServerConfig config) {
        this.config = config;
        this.metrics = new ServerMetrics(config.monitoring().metrics(), config.monitoring().alerts());
        this.tracing = ServerTracing.of(config.monitoring().tracing(), config.appVersion(), config.environment());
        this.database = Database.open(config);
        this.redis = new Redis(config);
        String schema = config.database().schema();
        try {
            if (config.embedded()) {
                Migrations.run(database.pool(), schema);
            }
            ServerConfig.EventSourcing tuning = config.eventSourcing();
            PostgresEventStore.Builder storeBuilder = PostgresEventStore.builder(database.pool()).schema(schema)
                    .listenerDataSource(database.sessionPool())
                    .limits(EventStoreLimits.builder().maxEventsPerRead(tuning.maxEventsPerRead()).build())
                    .pageSize(Math.min(500, tuning.maxEventsPerRead())).appendListener(metrics.appendListener());
            database.replicaPool().ifPresent(replica -> storeBuilder.readReplica(replica,
                    config.database().replicaMaxWait()));
            this.store = storeBuilder.build();
            // Customers' personal data is encrypted per customer in events and snapshots (crypto-shredding): every
            // reader below goes through the protected store, which decrypts; only the health checks see the raw one.
            this.protection = PersonalDataProtection.create(Orders.PERSONAL_DATA,
                    PostgresKeyStore.create(database.pool(), schema, KeyEncryption.none()));
            EventStore events = protection.protect(store);
            this.administration = Administration.builder(AuditTrail.create(store)).protection(protection)
                    .streams(store).retention(store).build();
            this.orders = AggregateRepository.builder(tracing.store(events), Orders.DECIDER, Orders.EVENT_TYPES)
                    .category(Orders.CATEGORY)
                    .snapshots(protection.protect(PostgresSnapshotStore.create(database.pool(), schema)),
                            Orders.STATE_CODEC, new SnapshotPolicy(tuning.snapshotFrequency()))
                    .maxAttempts(tuning.commandMaxAttempts())
                    .cache(10_000).listener(tracing.aggregateListener(metrics.aggregateListener())).build();
            PostgresProjectionStore projections = PostgresProjectionStore.create(database.pool(),
                    database.sessionPool(), schema);
            OrderReadModels models = new OrderReadModels(schema, projections);
            this.readModels = ProjectionRunner.builder(events, projections, OrderReadModels.NAME,
                    tracing.projection(models.projection())).batchSize(tuning.eventBatchSize())
                    .listener(tracing.projectionListener(metrics.projectionListener())).build();
            this.tokens = Secrets.tokens(config, Clock.systemUTC());
            Sessions sessions = new Sessions(tokens, redis.configured() ? new RedisSessionStore(redis)
                    : new InProcessSessionStore());
            this.health = new HealthChecks(config.monitoring().health(), this::pingDatabase, redis::ping,
                    store::readerHorizon);
            metrics.bind(database.pool(), store, readModels);
            metrics.bindRedis(redis::connectionsActive, redis::fallbacks);
            metrics.bindHealth(health);
            // Microsecond ticks: PostgreSQL keeps microseconds, so the read models show the same times as the events.
            Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
            this.console = new Console(config.embedded(), config.appVersion());
            Jdbi primary = Jdbi.create(database.pool());
            ReadModelSource readModelSource = database.replicaPool().map(replica -> ReadModelSource.withReplica(
                    primary, projections, Jdbi.create(replica), PostgresProjectionStore.create(replica, schema),
                    config.database().replicaMaxWait())).orElseGet(() -> ReadModelSource.primary(primary));
            metrics.bindReadModelSource(readModelSource);
            OrderQueries queries = new OrderQueries(readModelSource, models);
            this.http = new HttpApp(new HttpApp.Routes(config, tokens, sessions, redis, metrics, tracing, drain,
                    new OrderRoutes(orders, events, Currency.getInstance("EUR"), clock, readModels,
                            new PersonalDataLog(tuning.personalDataAccessLog()), store::expectAtLeast),
                    new OrderQueryRoutes(queries, clock, readModels, events),
                    new AdminRoutes(List.of(readModels), events, store::readerHorizon),
                    new ComplianceRoutes(administration, protection, orders, queries, events, metrics,
                            config.retention().policies()),
                    new LiveEvents(events, orders, tokens, sessions, redis),
                    new HealthRoutes(config.monitoring().health(), health,
                            new HealthReport(config, health, this::eventProcessing), drain::accepting),
                    console));
        } catch (RuntimeException e) {
            tracing.close();
            redis.close();
            database.close();
            throw e;
        }
    }

    /**
     * Starts a server.
     *
     * @param config the configuration
     * @return the running server
     */
    public static Server start(ServerConfig config) {
        Server server = new Server(config);
        server.auditFollower = server.administration.trail().follow(server::actedElsewhere);
        if (!config.retention().policies().isEmpty()) {
            server.retentionJob = RetentionJob.start(server.administration, config.retention().policies(),
                    config.retention().interval(), "retention-job");
        }
        server.readModels.start();
        server.metricsPort = config.monitoring().metrics().enabled() ? server.metrics.start(config.http().host())
                : -1;
        server.http.start(config.http().host(), config.http().port());
        server.drain.ready();
        LOG.info("reference-server {} ({}) listening on {}:{}, metrics on {} ({}; configuration files: {})",
                config.appVersion(), config.environment(), config.http().host(), server.port(), server.metricsPort,
                config.embedded() ? "embedded PostgreSQL, single-node dev mode"
                        : "PostgreSQL " + config.database().host(), config.files().isEmpty() ? "none"
                        : config.files());
        if (server.console.bundled()) {
            String host = config.http().host();
            String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
            String url = "http://" + shown + ":" + server.port() + Console.PATH;
            LOG.info("order console at {}", url);
            if (config.embedded()) {
                // On a laptop, a plain line a newcomer can read (README line 1); elsewhere stdout stays all JSON.
                System.out.println("Order console: " + url + " (dev sign-in enabled)");
            }
        }
        return server;
    }

    /**
     * An administrative action, by this replica or another: what this one caches of a forgotten customer or a
     * tombstoned order goes (keys and order states), so no replica serves erased data from memory.
     */
    private void actedElsewhere(AuditEntry entry) {
        if (Administration.FORGET.equals(entry.action())) {
            protection.evictKeys(entry.target());
            orders.evictIf(order -> entry.target().equals(order.customerId()));
        } else if ((Administration.TOMBSTONE.equals(entry.action())
                || Administration.SOFT_DELETE.equals(entry.action()))
                && entry.target().startsWith(Orders.CATEGORY + "-")) {
            orders.evict(entry.target().substring(Orders.CATEGORY.length() + 1));
        }
    }

    /** @return the HTTP port */
    public int port() {
        return http.port();
    }

    /** @return the metrics port, or -1 when metrics are off */
    public int metricsPort() {
        return metricsPort;
    }

    /** @return the runner of the order read models (for tests and admin tasks) */
    ProjectionRunner<Connection> readModels() {
        return readModels;
    }

    /** @return a token for a subject and role, signed with this server's key (tests) */
    String token(String subject, Role role) {
        return tokens.issue(subject, role);
    }

    /** Graceful stop: readiness false, in-flight requests finish, the runner stops at a checkpoint, pools close. */
    @Override
    public void close() {
        Duration grace = config.http().shutdownGrace();
        LOG.info("reference-server shutting down (grace {}): answering new API requests with 503, finishing {} "
                + "in flight", grace, drain.inFlight());
        int left = drain.drain(grace);
        if (left > 0) {
            LOG.warn("{} requests still in flight after the grace period; stopping anyway", left);
        }
        try {
            http.close();
        } catch (RuntimeException e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
        health.close();
        if (auditFollower != null) {
            auditFollower.close();
        }
        if (retentionJob != null) {
            retentionJob.close();
        }
        readModels.stop();
        tracing.close();
        metrics.close();
        orders.close();
        store.close();
        redis.close();
        database.close();
        LOG.info("reference-server stopped");
    }

    private void pingDatabase() throws java.sql.SQLException {
        try (Connection connection = database.pool().getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, config.monitoring().health().timeout().toSeconds()));
            statement.execute("SELECT 1");
        }
    }

    /** The seed's {@code metrics.eventProcessing}: the read-model runner and the store's reader horizon. */
    private Map<String, Object> eventProcessing() {
        Map<String, Object> processing = new LinkedHashMap<>();
        var projection = readModels.status();
        processing.put("projection", readModels.name());
        processing.put("state", readModels.state().name());
        processing.put("eventsProcessed", readModels.eventsProcessed());
        processing.put("lagEvents", projection.lagEvents());
        processing.put("lagSeconds", projection.lag().toMillis() / 1000.0);
        var horizon = store.readerHorizon();
        processing.put("eventsHeldBack", horizon.eventsHeldBack());
        processing.put("horizonLagSeconds", horizon.lag(Instant.now()).toMillis() / 1000.0);
        return processing;
    }
}
