package dev.eventfold.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.eventfold.server.config.ServerConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * helm/order-management, checked offline: lint --strict, every values file rendered (values.schema.json applies),
 * every rendered object parsed strictly, and what matters asserted; each check shown to catch a broken copy.
 */
class HelmChartTest {

    /** @return the one object of this kind that belongs to the backend */
    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        return one(objects, type, "backend");
    }

    /** @return the one object of this kind labelled order-management-{component} */
    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String component) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> ("order-management-" + component).equals(o.getMetadata().getLabels()
                        .get("app.kubernetes.io/name"))).toList();
        assertThat(found).as(type.getSimpleName() + " of the " + component).hasSize(1);
        return found.get(0);
    }

    private static List<HasMetadata> render(String valuesFile) {
        List<HasMetadata> objects = Charts.parse(Charts.template(Charts.CHART, valuesFile, Map.of()));
        assertThat(Charts.strictProblems(objects)).as(valuesFile).isEmpty();
        return objects;
    }

    @Test
    void the_chart_lints_strictly() {
        LintResult lint = new Helm(Charts.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values-development.yaml", "values-staging.yaml", "values-production.yaml"})
    void every_values_file_renders_objects_kubernetes_knows(String valuesFile) {
        List<HasMetadata> objects = render(valuesFile);
        Deployment deployment = one(objects, Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container backend = pod.getContainers().get(0);
        assertThat(backend.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
        assertThat(backend.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(backend.getSecurityContext().getRunAsUser()).isEqualTo(1001L);
        assertThat(backend.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(backend.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(backend.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(backend.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1001L);
        assertThat(pod.getInitContainers()).extracting(Container::getName)
                .containsExactly("wait-for-database", "database-migration");
        assertThat(pod.getInitContainers().get(1).getArgs()).containsExactly("migrate");
        assertThat(backend.getPorts()).anyMatch(p -> p.getName().equals("metrics") && p.getContainerPort() == 9090);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", "9090").containsKey("checksum/config");
        int preStop = Integer.parseInt(backend.getLifecycle().getPreStop().getExec().getCommand().get(1));
        assertThat(pod.getTerminationGracePeriodSeconds()).as("preStop + the server's 25 s drain + margin")
                .isGreaterThan(preStop + 25L + 1);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        objects.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
                .filter(pdb -> pdb.getMetadata().getName().endsWith("-backend"))
                .forEach(pdb -> assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
    }

    @Test
    void the_seeds_production_values_give_its_numbers_and_secrets() {
        List<HasMetadata> objects = render("values-production.yaml");
        Deployment deployment = one(objects, Deployment.class);
        Container backend = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(deployment.getSpec().getReplicas()).as("the HPA owns replicas").isNull();
        assertThat(backend.getImage()).isEqualTo("123456789012.dkr.ecr.us-west-2.amazonaws.com/"
                + "order-management-backend:v1.2.3");
        assertThat(backend.getResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
        Map<String, String> fromSecrets = backend.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName()));
        assertThat(fromSecrets).containsEntry("DB_HOST", "production-db-credentials")
                .containsEntry("DB_SSL_CERT", "production-db-credentials")
                .containsEntry("REDIS_TLS_CERT", "production-redis-credentials")
                .containsEntry("JWT_REFRESH_SECRET", "production-jwt-secret");
        HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class);
        assertThat(List.of(hpa.getSpec().getMinReplicas(), hpa.getSpec().getMaxReplicas())).containsExactly(5, 20);
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName() + "="
                + m.getResource().getTarget().getAverageUtilization()).containsExactly("cpu=70", "memory=80");
        HorizontalPodAutoscaler staging = one(render("values-staging.yaml"), HorizontalPodAutoscaler.class);
        assertThat(List.of(staging.getSpec().getMinReplicas(), staging.getSpec().getMaxReplicas()))
                .containsExactly(2, 5);
        NetworkPolicy policy = one(objects, NetworkPolicy.class);
        assertThat(policy.getSpec().getIngress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort()
                .getIntVal()).contains(3001, 9090);
        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort()
                .getIntVal()).contains(5432, 6379, 53, 443);
    }

    @Test
    void the_rendered_config_maps_and_environment_start_the_servers_configuration(@TempDir Path dir)
            throws IOException {
        List<HasMetadata> objects = render("values-production.yaml");
        for (HasMetadata object : objects) {
            if (object instanceof ConfigMap map) {
                for (var file : map.getData().entrySet()) {
                    Files.writeString(dir.resolve(file.getKey()), file.getValue());
                }
            }
        }
        assertThat(dir.resolve("app-config.json")).exists();
        assertThat(dir.resolve("monitoring-config.json")).exists();
        Container backend = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : backend.getEnv()) {
            env.put(variable.getName(), variable.getValue() != null ? variable.getValue() : "secret-value-from-"
                    + variable.getName() + "-padded-to-32-chars");
        }
        env.remove("DB_SSL_CERT");
        env.remove("REDIS_TLS_CERT");
        env.put("JWT_REFRESH_SECRET", "another-secret-value-padded-to-32-chars");
        env.put("CONFIG_DIR", dir.toString());
        assertThat(ServerConfig.VARIABLES).containsAll(env.keySet());
        ServerConfig config = ServerConfig.load(env);
        assertThat(config.files()).hasSize(2);
        assertThat(config.http().corsOrigins()).containsExactly("https://app.your-domain.com",
                "https://admin.your-domain.com");
        assertThat(config.monitoring().logging().level()).isEqualTo("warn");
    }

    @Test
    void tracing_renders_into_the_servers_config_and_opens_egress_to_the_receiver_only_when_enabled(
            @TempDir Path dir) throws IOException {
        List<HasMetadata> objects = Charts.parse(Charts.template(Charts.CHART, "values-production.yaml", Map.of(
                "monitoring.tracing.enabled", true, "monitoring.tracing.endpoint",
                "http://otel-collector.monitoring:4318")));
        assertThat(Charts.strictProblems(objects)).isEmpty();
        NetworkPolicy policy = one(objects, NetworkPolicy.class);
        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort()
                .getIntVal()).contains(4318);
        ConfigMap monitoring = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().endsWith("-monitoring")).findFirst().orElseThrow();
        Path file = dir.resolve("monitoring-config.json");
        Files.writeString(file, monitoring.getData().values().iterator().next());
        var tracing = ServerConfig.load(Map.of("MONITORING_CONFIG_FILE", file.toString(), "EVENTFOLD_DATA_DIR",
                dir.toString())).monitoring().tracing();
        assertThat(tracing.enabled()).isTrue();
        assertThat(tracing.endpoint()).hasToString("http://otel-collector.monitoring:4318");

        assertThat(one(render("values-production.yaml"), NetworkPolicy.class).getSpec().getEgress())
                .flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal()).doesNotContain(4318);
        assertThatThrownBy(() -> Charts.template(Charts.CHART, "values-production.yaml", Map.of(
                "monitoring.tracing.enabled", true))).as("enabled without an endpoint").hasMessageContaining(
                        "endpoint");
    }

    @Test
    void the_optional_monitoring_objects_and_the_ingress_render_when_enabled() {
        List<HasMetadata> objects = Charts.parse(Charts.template(Charts.CHART, "values-production.yaml", Map.of(
                "monitoring.serviceMonitor.enabled", true, "monitoring.prometheusRule.enabled", true,
                "backend.ingress.enabled", true, "backend.ingress.certificateArn", "arn:aws:acm:eu:1:certificate/x",
                "namespace.create", true, "monitoring.dashboard.enabled", true)));
        assertThat(Charts.strictProblems(objects)).isEmpty();
        assertThat(objects).extracting(HasMetadata::getKind).contains("ServiceMonitor", "PrometheusRule", "Ingress",
                "Namespace");
        ConfigMap dashboard = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("order-management.json")).contains("\"uid\": \"order-management-backend\"");
        var namespace = objects.stream().filter(o -> o.getKind().equals("Namespace")).findFirst().orElseThrow();
        assertThat(namespace.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce",
                "restricted");
        var rule = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) objects.stream()
                .filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        String rendered = rule.getAdditionalProperties().get("spec").toString();
        assertThat(rendered).contains("alert=ApiErrorRateHigh").contains("runbook_url=https://github.com/your-org/")
                .doesNotContain("RUNBOOK_BASE_URL");
        var ingress = one(objects, io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("api.your-domain.com");
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("alb.ingress.kubernetes.io/certificate-arn",
                "arn:aws:acm:eu:1:certificate/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"values.yaml", "values-staging.yaml", "values-production.yaml"})
    void the_console_renders_with_the_seeds_values_locked_down_and_reachable_on_the_app_and_admin_domains(
            String valuesFile) throws IOException {
        List<HasMetadata> objects = render(valuesFile);
        Deployment deployment = one(objects, Deployment.class, "frontend");
        var pod = deployment.getSpec().getTemplate().getSpec();
        Container console = pod.getContainers().get(0);
        assertThat(console.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(3000));
        assertThat(console.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(console.getSecurityContext().getRunAsUser()).isEqualTo(1001L);
        assertThat(console.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Map<String, String> env = console.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
                EnvVar::getValue));
        String server = Files.readString(Path.of("..", "frontend", "server.mjs"));
        assertThat(env.keySet()).as("variables the console's server reads")
                .allMatch(name -> name.equals("NODE_ENV") || server.contains("process.env." + name));
        assertThat(env.get("NEXT_PUBLIC_API_URL")).startsWith("https://");
        assertThat(env.get("NEXT_PUBLIC_WS_URL")).startsWith("wss://");

        Service service = one(objects, Service.class, "frontend");
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        var ingress = one(objects, io.fabric8.kubernetes.api.model.networking.v1.Ingress.class, "frontend");
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        // The environment's file over the defaults: the seed's staging file names no admin domain (docs/deployment.md).
        Map<String, String> global = new HashMap<>();
        for (String file : List.of("values.yaml", valuesFile)) {
            var node = yaml.readTree(Charts.CHART.resolve(file).toFile()).get("global");
            node.fieldNames().forEachRemaining(name -> global.put(name, node.get(name).asText()));
        }
        assertThat(ingress.getSpec().getRules()).extracting(r -> r.getHost())
                .containsExactly(global.get("frontendDomain"), global.get("adminDomain"));
        NetworkPolicy policy = one(objects, NetworkPolicy.class, "frontend");
        assertThat(policy.getSpec().getPolicyTypes()).contains("Egress");
        assertThat(policy.getSpec().getEgress()).as("the console calls nothing").isEmpty();
        assertThat(one(objects, PodDisruptionBudget.class, "frontend").getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        if (!valuesFile.equals("values.yaml")) {
            assertThat(console.getImage()).contains("order-management-frontend");
        }
    }

    @Test
    void retention_policies_render_into_the_servers_config_and_the_schema_refuses_malformed_ones(@TempDir Path dir)
            throws IOException {
        Path chart = Charts.copy(dir.resolve("chart"));
        String values = "backend:\n  config:\n    eventSourcing:\n      personalDataAccessLog: true\n"
                + "    retention:\n      policies: [\"%s\"]\n      intervalMinutes: %d\n";
        Files.writeString(chart.resolve("retention.yaml"), String.format(values, "category:audit maxAge=P2555D", 30));
        String appConfig = Charts.parse(Charts.template(chart, "retention.yaml", Map.of())).stream()
                .filter(ConfigMap.class::isInstance).map(o -> ((ConfigMap) o).getData().get("app-config.json"))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        Path config = Files.writeString(dir.resolve("app-config.json"), appConfig);
        Map<String, String> env = new HashMap<>(ServerTest.environment("helm_retention"));
        env.put("CONFIG_FILE", config.toString());
        ServerConfig loaded = ServerConfig.load(env);
        assertThat(loaded.retention().policies()).containsExactly(dev.eventfold.eventstore.retention.RetentionPolicy
                .category("audit").maxAge(java.time.Duration.ofDays(2555)).build());
        assertThat(loaded.retention().interval()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(loaded.eventSourcing().personalDataAccessLog()).isTrue();

        Files.writeString(chart.resolve("retention.yaml"), String.format(values, "keep everything forever", 30));
        assertThatThrownBy(() -> Charts.template(chart, "retention.yaml", Map.of()))
                .as("values.schema.json: a policy that is not one").hasMessageContaining("policies");
        Files.writeString(chart.resolve("retention.yaml"), String.format(values, "category:audit maxCount=5", 0));
        assertThatThrownBy(() -> Charts.template(chart, "retention.yaml", Map.of()))
                .as("values.schema.json: no interval").hasMessageContaining("intervalMinutes");
    }

    @Test
    void socket_timeout_and_replica_wait_render_into_the_servers_config_and_the_schema_bounds_them(@TempDir Path dir)
            throws IOException {
        Path chart = Charts.copy(dir.resolve("chart"));
        String values = "backend:\n  config:\n    database:\n      socketTimeout: %d\n      replica: {maxWait: %d}\n";
        Files.writeString(chart.resolve("database.yaml"), String.format(values, 12000, 750));
        String appConfig = Charts.parse(Charts.template(chart, "database.yaml", Map.of())).stream()
                .filter(ConfigMap.class::isInstance).map(o -> ((ConfigMap) o).getData().get("app-config.json"))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        Path config = Files.writeString(dir.resolve("app-config.json"), appConfig);
        Map<String, String> env = new HashMap<>(ServerTest.environment("helm_database"));
        env.put("CONFIG_FILE", config.toString());
        ServerConfig.Database database = ServerConfig.load(env).database();
        assertThat(database.socketTimeout()).isEqualTo(java.time.Duration.ofSeconds(12));
        assertThat(database.replicaMaxWait()).isEqualTo(java.time.Duration.ofMillis(750));

        Files.writeString(chart.resolve("database.yaml"), String.format(values, 10, 750));
        assertThatThrownBy(() -> Charts.template(chart, "database.yaml", Map.of()))
                .as("values.schema.json: a socket timeout under a second").hasMessageContaining("socketTimeout");
        Files.writeString(chart.resolve("database.yaml"), String.format(values, 12000, -1));
        assertThatThrownBy(() -> Charts.template(chart, "database.yaml", Map.of()))
                .as("values.schema.json: a negative replica wait").hasMessageContaining("maxWait");
    }

    @Test
    void each_check_catches_a_broken_copy(@TempDir Path dir) throws IOException {
        Path unclosed = Charts.copy(dir.resolve("unclosed"));
        Files.writeString(unclosed.resolve("templates/backend-service.yaml"), "{{ .Values.backend.service.port ");
        assertThat(new Helm(unclosed).lint().strict().call().isFailed()).as("lint: template syntax").isTrue();

        Path typo = Charts.copy(dir.resolve("typo"));
        Files.writeString(typo.resolve("values-production.yaml"), Files.readString(typo.resolve(
                "values-production.yaml")).replace("  replicaCount: 5", "  replicaCout: 5"));
        assertThatThrownBy(() -> Charts.template(typo, "values-production.yaml", Map.of()))
                .as("values.schema.json: an unknown key").hasMessageContaining("replicaCout");

        Path field = Charts.copy(dir.resolve("field"));
        Path deployment = field.resolve("templates/backend-deployment.yaml");
        Files.writeString(deployment, Files.readString(deployment).replace("containerPort: {{ .Values.backend.env"
                + ".PORT }}", "contianerPort: {{ .Values.backend.env.PORT }}"));
        assertThat(new Helm(field).lint().strict().call().isFailed()).as("lint does not see field names").isFalse();
        assertThat(Charts.strictProblems(Charts.parse(Charts.template(field, null, Map.of()))))
                .anyMatch(p -> p.contains("unknown field") && p.contains("contianerPort"));
    }
}
