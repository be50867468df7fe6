package dev.eventfold.server.config;

import java.time.Duration;
import java.util.List;

/**
 * The monitoring settings: {@code monitoring-config.json} (the seed's monitoring ConfigMap), the {@code monitoring}
 * block of {@code app-config.json} and the environment. Where both files set the same thing they must agree.
 */
final class MonitoringReader {

    private final Environment env;
    private final ConfigFile app;
    private final ConfigFile file;
    private final List<String> problems;

    MonitoringReader(Environment env, ConfigFile app, ConfigFile file, List<String> problems) {
        this.env = env;
        this.app = app;
        this.file = file;
        this.problems = problems;
    }

    ServerConfig.Monitoring read(String version, String environment) {
        return new ServerConfig.Monitoring(metrics(), health(), logging(version, environment), tracing(), alerts());
    }

    private <T> T agree(String appKey, T fromApp, String fileKey, T fromFile) {
        if (app.has(appKey) && file.has(fileKey) && !fromApp.equals(fromFile)) {
            problems.add("app-config.json " + appKey + " (" + fromApp + ") and monitoring-config.json " + fileKey
                    + " (" + fromFile + ") disagree");
        }
        return file.has(fileKey) ? fromFile : fromApp;
    }

    private ServerConfig.Metrics metrics() {
        boolean enabled = agree("monitoring.metrics.enabled", app.bool("monitoring.metrics.enabled", true),
                "metrics.enabled", file.bool("metrics.enabled", true));
        int filePort = agree("monitoring.metrics.port", app.integer("monitoring.metrics.port", 9090, 0, 65_535),
                "metrics.port", file.integer("metrics.port", 9090, 0, 65_535));
        int port = env.has("METRICS_PORT") ? env.port("METRICS_PORT", 9090) : filePort;
        String path = file.urlPath("metrics.path", "/metrics");
        return new ServerConfig.Metrics(enabled, port, path, file.bool("metrics.collect.defaultMetrics", true),
                file.bool("metrics.collect.httpMetrics", true), file.bool("metrics.collect.eventSourcingMetrics", true),
                file.bool("metrics.collect.businessMetrics", true));
    }

    private ServerConfig.Health health() {
        boolean enabled = file.bool("healthChecks.enabled", true);
        Duration timeout = agree("monitoring.healthCheck.timeout",
                app.millis("monitoring.healthCheck.timeout", Duration.ofSeconds(5), 100, 60_000),
                "healthChecks.timeout", file.millis("healthChecks.timeout", Duration.ofSeconds(5), 100, 60_000));
        Duration interval = agree("monitoring.healthCheck.interval",
                app.millis("monitoring.healthCheck.interval", Duration.ofSeconds(30), 1000, 3_600_000),
                "healthChecks.interval", file.millis("healthChecks.interval", Duration.ofSeconds(30), 1000,
                        3_600_000));
        String live = file.urlPath("healthChecks.endpoints.liveness", "/health/live");
        String ready = file.urlPath("healthChecks.endpoints.readiness", "/health/ready");
        String health = file.urlPath("healthChecks.endpoints.health", "/health");
        if (List.of(live, ready, health).stream().distinct().count() < 3) {
            file.problem("healthChecks.endpoints must name three different paths, were " + live + ", " + ready
                    + ", " + health);
        }
        return new ServerConfig.Health(enabled, timeout, interval, live, ready, health);
    }

    private ServerConfig.Logging logging(String version, String environment) {
        String[] levels = {"error", "warn", "info", "debug", "trace"};
        String fileLevel = file.oneOf("logging.level", "info", levels);
        String level = env.has("LOG_LEVEL") ? env.oneOf("LOG_LEVEL", "info", levels) : fileLevel;
        file.oneOf("logging.format", "json", "json");
        file.oneOf("logging.output", "stdout", "stdout");
        String field = "[A-Za-z0-9._+-]{0,64}";
        String rule = "at most 64 characters of letters, digits, . _ + -";
        String service = file.text("logging.fields.service", "", field, rule);
        String fileVersion = file.text("logging.fields.version", "", field, rule);
        String fileEnvironment = file.text("logging.fields.environment", "", field, rule);
        // The seed's template writes "" where a value is not given (e.g. an undefined .Values.global.environment).
        return new ServerConfig.Logging(level, service.isEmpty() ? "order-management-backend" : service,
                fileVersion.isEmpty() ? version : fileVersion, fileEnvironment.isEmpty() ? environment
                        : fileEnvironment);
    }

    private ServerConfig.Tracing tracing() {
        boolean enabled = file.bool("tracing.enabled", false);
        String serviceName = file.text("tracing.serviceName", "order-management-backend", "[A-Za-z0-9._-]{1,64}",
                "a service name of letters, digits, . _ -");
        var endpoint = file.url("tracing.endpoint");
        boolean unset = endpoint == null && file.text("tracing.endpoint", "", "(?s).*", "a URL").isBlank();
        if (enabled && unset) {
            file.problem("tracing.enabled is true, but tracing.endpoint is empty: give the OTLP/HTTP receiver, e.g. "
                    + "http://otel-collector:4318 (spans go to its /v1/traces)");
        }
        return new ServerConfig.Tracing(enabled, serviceName, endpoint);
    }

    private ServerConfig.Alerts alerts() {
        String t = "alerts.thresholds.";
        boolean enabled = file.bool("alerts.enabled", true);
        long rtWarn = file.number(t + "responseTime.warning", 500, 1, 600_000);
        long rtCrit = file.number(t + "responseTime.critical", 2000, 1, 600_000);
        double errWarn = file.fraction(t + "errorRate.warning", 0.01, 0, 1);
        double errCrit = file.fraction(t + "errorRate.critical", 0.05, 0, 1);
        double memWarn = file.fraction(t + "memoryUsage.warning", 0.8, 0, 1);
        double memCrit = file.fraction(t + "memoryUsage.critical", 0.9, 0, 1);
        double cpuWarn = file.fraction(t + "cpuUsage.warning", 0.7, 0, 1);
        double cpuCrit = file.fraction(t + "cpuUsage.critical", 0.9, 0, 1);
        for (String name : List.of("responseTime", "errorRate", "memoryUsage", "cpuUsage")) {
            double warning = switch (name) {
                case "responseTime" -> rtWarn;
                case "errorRate" -> errWarn;
                case "memoryUsage" -> memWarn;
                default -> cpuWarn;
            };
            double critical = switch (name) {
                case "responseTime" -> rtCrit;
                case "errorRate" -> errCrit;
                case "memoryUsage" -> memCrit;
                default -> cpuCrit;
            };
            if (warning > critical) {
                file.problem(t + name + ".warning (" + warning + ") must not exceed " + t + name + ".critical ("
                        + critical + ")");
            }
        }
        return new ServerConfig.Alerts(enabled, rtWarn, rtCrit, errWarn, errCrit, memWarn, memCrit, cpuWarn,
                cpuCrit);
    }
}
