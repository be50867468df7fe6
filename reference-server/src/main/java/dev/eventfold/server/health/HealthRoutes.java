package dev.eventfold.server.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventfold.eventstore.serialization.EventfoldJson;
import dev.eventfold.server.config.ServerConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The probes, at the paths of {@code healthChecks.endpoints}: liveness ({@code /health/live}: the process serves;
 * never asks a dependency, so a database outage does not restart every pod), readiness ({@code /health/ready}, and
 * {@code /ready} as the seed's values file probes it: accepting requests and the database answers) and the detailed
 * report ({@code /health}).
 */
public final class HealthRoutes {

    private static final ObjectMapper JSON = EventfoldJson.newMapper();

    private final ServerConfig.Health paths;
    private final HealthChecks checks;
    private final HealthReport report;
    private final BooleanSupplier accepting;

    /**
     * @param paths where the probes answer
     * @param checks the dependency checks
     * @param report the detailed report
     * @param accepting whether the server takes requests (false while starting and draining)
     */
    public HealthRoutes(ServerConfig.Health paths, HealthChecks checks, HealthReport report,
            BooleanSupplier accepting) {
        this.paths = paths;
        this.checks = checks;
        this.report = report;
        this.accepting = accepting;
    }

    /** @param cfg the server's configuration, to add the routes to */
    public void register(JavalinConfig cfg) {
        cfg.routes.get(paths.livenessPath(), ctx -> json(ctx, 200, Map.of("status", "ok")));
        cfg.routes.get(paths.readinessPath(), this::readiness);
        if (!paths.readinessPath().equals("/ready")) {
            cfg.routes.get("/ready", this::readiness);
        }
        cfg.routes.get(paths.healthPath(), ctx -> {
            HealthReport.Report current = report.report();
            json(ctx, current.httpStatus(), current.body());
        });
    }

    private void readiness(Context ctx) {
        DependencyHealth database = checks.check("database");
        boolean ready = accepting.getAsBoolean() && database.healthy();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.put("accepting", accepting.getAsBoolean());
        body.put("database", database.status());
        json(ctx, ready ? 200 : 503, body);
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).header("Cache-Control", "no-store").contentType("application/json")
                    .result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
