package dev.eventfold.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Draws the performance report's plots from the committed JMH JSON: reconstruction latency (p50) against stream
 * length, and append throughput against threads (single events and batches of 100).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.eventfold.benchmarks.PlotResults benchmarks/results docs/img</pre>
 */
public final class PlotResults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STORES = List.of("floor", "eventstore", "eventstore-snapshots",
            "eventstore-snapshots-cache", "axon");

    private PlotResults() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path out = Path.of(args.length > 1 ? args[1] : "docs/img");
        Files.createDirectories(out);
        reconstruction(results.resolve("reconstruction.json"), out.resolve("reconstruction.png"));
        appends(results, 1, out.resolve("append-single.png"), "Single-event appends/s (exact expected version)");
        appends(results, 100, out.resolve("append-batch100.png"), "Events/s appended in batches of 100");
    }

    private static void reconstruction(Path file, Path png) throws IOException {
        Map<String, Map<Integer, Double>> p50 = new TreeMap<>();
        for (JsonNode run : JSON.readTree(file.toFile())) {
            String store = run.path("params").path("store").asText();
            int events = run.path("params").path("events").asInt();
            p50.computeIfAbsent(store, s -> new TreeMap<>()).put(events,
                    run.path("primaryMetric").path("scorePercentiles").path("50.0").asDouble() / 1000.0);
        }
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("Order reconstruction latency, p50 (lower is better)")
                .xAxisTitle("events in the stream").yAxisTitle("ms per load (log)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (String store : STORES) {
            Map<Integer, Double> points = p50.get(store);
            if (points == null) {
                continue;
            }
            chart.addSeries(store, points.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    points.values().stream().mapToDouble(Double::doubleValue).toArray());
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void appends(Path results, int batch, Path png, String title) throws IOException {
        List<String> threads = new ArrayList<>();
        Map<String, List<Double>> perStore = new TreeMap<>();
        for (int t : new int[] {1, 4, 16}) {
            Path file = results.resolve("append-t" + t + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            threads.add(t + (t == 1 ? " thread" : " threads"));
            for (JsonNode run : JSON.readTree(file.toFile())) {
                if (!run.path("mode").asText().equals("thrpt") || run.path("params").path("batch").asInt() != batch) {
                    continue;
                }
                double perSecond = run.path("primaryMetric").path("score").asDouble() * 1000.0 * batch;
                perStore.computeIfAbsent(run.path("params").path("store").asText(), s -> new ArrayList<>())
                        .add(perSecond);
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(540).title(title + " (higher is better)")
                .xAxisTitle("writer threads").yAxisTitle(batch == 1 ? "appends/s" : "events/s").build();
        for (String store : List.of("floor", "eventstore", "axon")) {
            List<Double> values = perStore.get(store);
            if (values != null && values.size() == threads.size()) {
                chart.addSeries(store, threads, values);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
