package dev.eventfold.server.health;

import dev.eventfold.server.config.ServerConfig;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The body of {@code /health} in the seed's {@code HealthStatus} shape: {@code status}, {@code timestamp},
 * {@code version}, {@code uptime} (seconds), {@code dependencies.{database,redis,eventStore}} and
 * {@code metrics.{memory,cpu,eventProcessing}}.
 *
 * <p>Status: {@code unhealthy} (503) when the database or the event store does not answer; {@code degraded} (200)
 * when Redis does not answer (the server keeps serving with per-replica fallbacks) or, with alerts enabled, heap or CPU
 * use is above its critical threshold; {@code healthy} (200) otherwise.
 */
public final class HealthReport {

    private final ServerConfig config;
    private final HealthChecks checks;
    private final Supplier<Map<String, Object>> eventProcessing;
    private final Instant startedAt = Instant.now();

    /**
     * @param config version and alert thresholds
     * @param checks the dependency checks
     * @param eventProcessing the read-model figures ({@code metrics.eventProcessing}); asked only while the database
     *     answers
     */
    public HealthReport(ServerConfig config, HealthChecks checks, Supplier<Map<String, Object>> eventProcessing) {
        this.config = config;
        this.checks = checks;
        this.eventProcessing = eventProcessing;
    }

    /**
     * A report and its HTTP status.
     *
     * @param httpStatus 200 or 503
     * @param body the JSON body
     */
    public record Report(int httpStatus, Map<String, Object> body) {
    }

    /** @return the current report */
    public Report report() {
        Map<String, DependencyHealth> dependencies = checks.checkAll();
        boolean up = dependencies.get("database").healthy() && dependencies.get("eventStore").healthy();
        Map<String, Object> memory = memory();
        Map<String, Object> cpu = cpu();
        ServerConfig.Alerts alerts = config.monitoring().alerts();
        boolean strained = alerts.enabled() && ((double) memory.get("usage") > alerts.memoryUsageCritical()
                || (double) cpu.get("usage") > alerts.cpuUsageCritical());
        String status = !up ? "unhealthy" : !dependencies.get("redis").healthy() || strained ? "degraded" : "healthy";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("timestamp", Instant.now().toString());
        body.put("version", config.appVersion());
        body.put("uptime", Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
        Map<String, Object> deps = new LinkedHashMap<>();
        dependencies.forEach((name, health) -> deps.put(name, json(health)));
        body.put("dependencies", deps);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("memory", memory);
        metrics.put("cpu", cpu);
        Map<String, Object> processing = new LinkedHashMap<>();
        if (up) { // these figures read the database: only ask while it answers, so /health never hangs
            try {
                processing.putAll(eventProcessing.get());
            } catch (RuntimeException e) {
                processing.put("error", e.getClass().getSimpleName());
            }
        }
        metrics.put("eventProcessing", processing);
        body.put("metrics", metrics);
        return new Report(up ? 200 : 503, body);
    }

    private static Map<String, Object> json(DependencyHealth health) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", health.status());
        json.put("responseTime", health.responseTime());
        json.put("lastChecked", health.lastChecked().toString());
        if (health.error() != null) {
            json.put("error", health.error());
        }
        return json;
    }

    /**
     * The seed's memory figures, in bytes, for the JVM: {@code rss} (resident set, from {@code /proc} where there is
     * one), {@code heapTotal} (committed heap), {@code heapUsed}, {@code external} (used non-heap: metaspace, code
     * cache), {@code arrayBuffers} (direct buffers); plus {@code heapMax} and {@code usage} (heap used / max).
     *
     * @return the figures
     */
    public static Map<String, Object> memory() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        var heap = bean.getHeapMemoryUsage();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("rss", residentSetBytes(heap.getCommitted() + bean.getNonHeapMemoryUsage().getCommitted()));
        memory.put("heapTotal", heap.getCommitted());
        memory.put("heapUsed", heap.getUsed());
        memory.put("external", bean.getNonHeapMemoryUsage().getUsed());
        memory.put("arrayBuffers", direct);
        memory.put("heapMax", max);
        memory.put("usage", max == 0 ? 0.0 : (double) heap.getUsed() / max);
        return memory;
    }

    private static long residentSetBytes(long fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: committed memory is the closest figure
        }
        return fallback;
    }

    /**
     * The process's CPU use: {@code usage} (0–1 of the CPUs the container may use, over the last moments),
     * {@code cores} and the system's one-minute {@code loadAverage}.
     *
     * @return the figures
     */
    public static Map<String, Object> cpu() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        double usage = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuLoad() : -1;
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage < 0 ? 0.0 : usage);
        cpu.put("cores", Runtime.getRuntime().availableProcessors());
        cpu.put("loadAverage", os.getSystemLoadAverage());
        return cpu;
    }
}
