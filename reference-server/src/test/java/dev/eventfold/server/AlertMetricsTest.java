package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eventfold.server.auth.Role;
import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric an alert rule or a dashboard panel names exists on a running server's {@code /metrics} (the seed's own dashboard queried
 * {@code order_rebuild_duration_seconds}, which nothing emits). Metrics of other exporters are listed as external.
 */
class AlertMetricsTest {

    private static final Path RULES = Path.of("..", "helm", "order-management", "files", "alerts.yml");
    private static final Path DASHBOARD = Path.of("..", "helm", "order-management", "files", "dashboard.json");
    /** Metrics that other exporters provide: CloudWatch (RDS), postgres_exporter, kube-state-metrics. */
    private static final Set<String> EXTERNAL_PREFIXES = Set.of("aws_rds_", "pg_stat_", "kube_");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "rate", "irate", "increase", "max", "min",
            "avg", "count", "histogram_quantile", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "le", "abs", "clamp_min", "clamp_max");

    /** @return the metric names of a PromQL expression: identifiers outside label matchers, groupings and ranges */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static Set<String> alertMetrics(Path rules) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(rules.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode group : root.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                names.addAll(metricNames(rule.get("expr").asText()));
            }
        }
        return names;
    }

    static Set<String> dashboardMetrics(Path dashboard) throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(dashboard.toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                names.addAll(metricNames(target.get("expr").asText()));
            }
        }
        return names;
    }

    /** @return the names a scrape lacks, ignoring external ones */
    static List<String> missing(Set<String> names, String scrape) {
        return names.stream().filter(n -> EXTERNAL_PREFIXES.stream().noneMatch(n::startsWith))
                .filter(n -> !Pattern.compile("(?m)^" + Pattern.quote(n) + "[{ ]").matcher(scrape).find()).toList();
    }

    @Test
    void expressions_yield_their_metric_names() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket"
                + "{route=~\"/api/.*\"}[5m]))) > 0.5")).containsExactly("http_request_duration_seconds_bucket");
        assertThat(metricNames("max by (pod) (sum by (pod) (jvm_memory_used_bytes{area=\"heap\"}) / sum by (pod) "
                + "(jvm_memory_max_bytes{area=\"heap\"})) > 0.9")).containsExactly("jvm_memory_max_bytes",
                        "jvm_memory_used_bytes");
    }

    @Test
    void every_metric_an_alert_names_is_served_by_the_server() throws IOException {
        String schema = TestServers.migratedSchema("alerts");
        try (Server server = Server.start(ServerConfig.load(ServerTest.environment(schema)))) {
            Http http = new Http(server.port());
            String token = server.token("ada", Role.CUSTOMER);
            http.post("/api/orders", token, "{\"items\":[{\"productId\":\"p\",\"productName\":\"n\",\"quantity\":1,"
                    + "\"price\":1}]}");
            http.get("/api/orders/" + UUID.randomUUID(), token);
            http.get("/health", null);
            Http metrics = new Http(server.metricsPort());
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics.get("/metrics", null).body()
                    .contains("event_processing_duration_seconds_bucket"));
            String scrape = metrics.get("/metrics", null).body();
            Set<String> names = alertMetrics(RULES);
            assertThat(names).hasSizeGreaterThan(6);
            assertThat(missing(names, scrape)).as("metrics of the alerts").isEmpty();
            Set<String> panels = dashboardMetrics(DASHBOARD);
            assertThat(panels).hasSizeGreaterThan(10).contains("pg_stat_database_tup_inserted");
            assertThat(missing(panels, scrape)).as("metrics of the dashboard").isEmpty();
            assertThat(missing(Set.of("order_rebuild_duration_seconds_bucket"), scrape))
                    .as("the seed dashboard's metric would be caught").containsExactly(
                            "order_rebuild_duration_seconds_bucket");
        } finally {
            TestServers.dropSchema(schema);
        }
    }
}
