package dev.eventfold.server;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The chart's offline checks: Helm (embedded through helm-java) renders it, fabric8 parses the result into typed
 * Kubernetes objects, and a walk over them reports every field Kubernetes would not know (fabric8 keeps unknown fields
 * in {@code additionalProperties} instead of failing) and every kind that is not a known type.
 */
final class Charts {

    static final Path CHART = Path.of("..", "helm", "order-management");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Kinds of CRDs the chart may render (the Prometheus Operator's), parsed as generic resources. */
    private static final Set<String> KNOWN_CUSTOM_KINDS = Set.of("ServiceMonitor", "PrometheusRule");

    private Charts() {
    }

    /** Renders the chart with a values file of its own (null for the defaults) and extra --set values. */
    static String template(Path chart, String valuesFile, Map<String, Object> set) {
        var command = new Helm(chart).template().withName("orders").withNamespace("production")
                .withKubeVersion("1.31.0");
        if (valuesFile != null) {
            command.withValuesFile(chart.resolve(valuesFile));
        }
        set.forEach(command::set);
        return command.call();
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof Collection<?> many) {
            many.forEach(o -> objects.add((HasMetadata) o));
        } else if (parsed != null) {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    /** @return every unknown field ("Kind/name: path.field") and unknown kind in the rendered objects */
    static List<String> strictProblems(List<HasMetadata> objects) {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : objects) {
            String label = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
                if (!KNOWN_CUSTOM_KINDS.contains(object.getKind())) {
                    problems.add(label + ": unknown kind " + object.getApiVersion() + "/" + object.getKind());
                }
                continue;
            }
            walk(object, label, "", problems, new IdentityHashMap<>());
        }
        return problems;
    }

    private static void walk(Object node, String label, String path, List<String> problems,
            IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, label, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, label, path + "." + k, problems, seen));
            return;
        }
        if (!(node instanceof KubernetesResource)) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || !method.getName().startsWith("get")
                    || method.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> problems.add(label + ": unknown field " + path + "." + k));
                }
                continue;
            }
            String field = Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4);
            walk(value, label, path + "." + field, problems, seen);
        }
    }

    /** Copies the chart to a temporary directory, for a deliberately broken copy. */
    static Path copy(Path into) {
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = into.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
