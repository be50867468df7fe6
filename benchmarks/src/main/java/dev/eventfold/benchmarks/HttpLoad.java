package dev.eventfold.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded, open-loop HTTP load run against the reference server on loopback: requests start on a fixed schedule
 * ({@code --rate} per second for {@code --duration} seconds, after {@code --warmup} seconds not counted) whatever the
 * answers do, and each latency is measured from the request's <em>scheduled</em> start, so a stalled server shows up in
 * the percentiles instead of slowing the load down (no coordinated omission). The mix: 20 % create an order, 30 %
 * change an item's quantity on an existing order, 50 % read an order. It refuses any host but a loopback address,
 * gives up on a request after 10 s, and stops by itself.
 *
 * <p>Requests slower than {@code --stall-ms} (default 50) are grouped into stall episodes by the wall-clock time they
 * were due (slow requests due less than 100 ms apart belong to one episode), so a stall can be matched against a GC
 * log or the database's log: an open loop makes every request due during a stall slow, and the first one's due time is
 * about when the stall began.
 *
 * <pre>
 * TOKEN=$(java -jar reference-server/target/reference-server.jar token --subject load-1 --role customer | tail -1)
 * java -cp benchmarks/target/benchmarks.jar dev.eventfold.benchmarks.HttpLoad --token "$TOKEN" --rate 500 \
 *     --duration 60 --out benchmarks/results/http-500.json
 * </pre>
 */
public final class HttpLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_IN_FLIGHT = 5_000;

    private final URI base;
    private final String token;
    private final String customer;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> orders = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final Stalls stalls;
    private volatile boolean recording;

    private HttpLoad(URI base, String token, String customer, long stallNanos) {
        this.base = base;
        this.token = token;
        this.customer = customer;
        this.stalls = new Stalls(stallNanos);
        for (String kind : List.of("create", "command", "read")) {
            recorders.put(kind, new Recorder());
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("--url", "http://127.0.0.1:3001", "--rate", "200",
                "--duration", "60", "--warmup", "10", "--customer", "load-1", "--stall-ms", "50"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String token = options.getOrDefault("--token", System.getenv("TOKEN"));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("pass --token (a customer token for --customer, default load-1)");
        }
        URI base = URI.create(options.get("--url"));
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("refusing to load " + base.getHost() + ": only loopback targets");
        }
        int rate = Integer.parseInt(options.get("--rate"));
        int duration = Integer.parseInt(options.get("--duration"));
        int warmup = Integer.parseInt(options.get("--warmup"));
        if (rate < 1 || rate > 5_000 || duration < 1 || duration > 600 || warmup < 0 || warmup > 120) {
            throw new IllegalArgumentException("rate 1..5000/s, duration 1..600 s, warmup 0..120 s");
        }
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(options.get("--stall-ms")));
        HttpLoad load = new HttpLoad(base, token, options.get("--customer"), stallNanos);
        Map<String, Object> result = load.run(rate, duration, warmup);
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(json);
        if (options.containsKey("--out")) {
            Files.writeString(Path.of(options.get("--out")), json + "\n");
        }
    }

    private Map<String, Object> run(int rate, int duration, int warmup) throws Exception {
        for (int i = 0; i < 20; i++) {
            create(System.nanoTime()).get(10, TimeUnit.SECONDS);
        }
        if (orders.isEmpty()) {
            throw new IllegalStateException("could not create a single order; is the server up and the token valid?");
        }
        schedule(rate, warmup);
        recording = true;
        long started = System.nanoTime();
        int dropped = schedule(rate, duration);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("target", base.toString());
        result.put("rate_per_second", rate);
        result.put("duration_seconds", duration);
        result.put("dropped_over_in_flight_cap", dropped);
        result.put("unfinished", inFlight.get());
        Map<String, Object> kinds = new LinkedHashMap<>();
        Recorder all = new Recorder();
        for (String kind : List.of("read", "command", "create")) {
            Recorder recorder = recorders.get(kind);
            kinds.put(kind, recorder.summary(seconds));
            all.merge(recorder);
        }
        kinds.put("all", all.summary(seconds));
        result.put("requests", kinds);
        result.put("stall_threshold_ms", TimeUnit.NANOSECONDS.toMillis(stalls.threshold));
        result.put("stalls", stalls.episodes());
        return result;
    }

    /** Starts {@code rate × seconds} requests on schedule; returns how many were dropped at the in-flight cap. */
    private int schedule(int rate, int seconds) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long total = (long) rate * seconds;
        int dropped = 0;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                dropped++;
                continue;
            }
            int pick = ThreadLocalRandom.current().nextInt(10);
            if (pick < 2) {
                create(due);
            } else if (pick < 5) {
                command(due);
            } else {
                read(due);
            }
        }
        return dropped;
    }

    private CompletableFuture<Void> create(long due) {
        String body = "{\"customerId\":\"" + customer + "\",\"items\":[{\"productId\":\"p-1\",\"productName\":"
                + "\"Widget\",\"quantity\":2,\"price\":19.90},{\"productId\":\"p-2\",\"productName\":\"Gadget\","
                + "\"quantity\":1,\"price\":5.50}]}";
        return send("create", due, request("/api/orders").POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), response -> {
                    if (response.statusCode() == 201) {
                        try {
                            JsonNode node = JSON.readTree(response.body());
                            orders.add(node.path("id").asText());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
    }

    private void command(long due) {
        String order = randomOrder();
        int quantity = 1 + ThreadLocalRandom.current().nextInt(20);
        send("command", due, request("/api/orders/" + order + "/items/p-1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"quantity\":" + quantity + "}"))
                .header("Content-Type", "application/json").build(), response -> { });
    }

    private void read(long due) {
        send("read", due, request("/api/orders/" + randomOrder()).GET().build(), response -> { });
    }

    private String randomOrder() {
        return orders.get(ThreadLocalRandom.current().nextInt(orders.size()));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
    }

    private CompletableFuture<Void> send(String kind, long due, HttpRequest request,
            java.util.function.Consumer<HttpResponse<String>> onAnswer) {
        inFlight.incrementAndGet();
        boolean counted = recording;
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            long latency = System.nanoTime() - due;
            inFlight.decrementAndGet();
            if (response != null) {
                onAnswer.accept(response);
            }
            if (counted) {
                recorders.get(kind).record(latency, response == null ? 0 : response.statusCode());
                stalls.record(due, latency);
            }
            return null;
        });
    }

    /** Requests over the threshold, by the wall-clock time they were due, grouped into episodes. */
    private static final class Stalls {
        private static final long GAP_MILLIS = 100;
        private final long threshold;
        private final long wallAtStart = System.currentTimeMillis();
        private final long nanoAtStart = System.nanoTime();
        private final List<long[]> slow = new CopyOnWriteArrayList<>();

        Stalls(long threshold) {
            this.threshold = threshold;
        }

        void record(long due, long latency) {
            if (latency > threshold) {
                slow.add(new long[] {wallAtStart + TimeUnit.NANOSECONDS.toMillis(due - nanoAtStart), latency});
            }
        }

        List<Map<String, Object>> episodes() {
            List<long[]> sorted = new java.util.ArrayList<>(slow);
            sorted.sort(java.util.Comparator.comparingLong(r -> r[0]));
            List<Map<String, Object>> episodes = new java.util.ArrayList<>();
            int i = 0;
            while (i < sorted.size()) {
                long first = sorted.get(i)[0];
                long last = first;
                long max = 0;
                int n = 0;
                while (i < sorted.size() && sorted.get(i)[0] - last <= GAP_MILLIS) {
                    last = sorted.get(i)[0];
                    max = Math.max(max, sorted.get(i)[1]);
                    n++;
                    i++;
                }
                Map<String, Object> episode = new LinkedHashMap<>();
                episode.put("first_due", java.time.Instant.ofEpochMilli(first).toString());
                episode.put("span_ms", last - first);
                episode.put("requests", n);
                episode.put("max_ms", Math.round(max / 1e4) / 100.0);
                episodes.add(episode);
            }
            return episodes;
        }
    }

    /** Latencies and status codes of one kind of request. */
    private static final class Recorder {
        private long[] latencies = new long[1 << 12];
        private int count;
        private final Map<Integer, Integer> statuses = new java.util.TreeMap<>();

        synchronized void record(long nanos, int status) {
            add(nanos);
            statuses.merge(status, 1, Integer::sum);
        }

        private void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        synchronized void merge(Recorder other) {
            synchronized (other) {
                for (int i = 0; i < other.count; i++) {
                    add(other.latencies[i]);
                }
                other.statuses.forEach((status, n) -> statuses.merge(status, n, Integer::sum));
            }
        }

        synchronized Map<String, Object> summary(double seconds) {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("count", count);
            summary.put("per_second", Math.round(count / seconds));
            int errors = 0;
            for (Map.Entry<Integer, Integer> entry : statuses.entrySet()) {
                if (entry.getKey() < 200 || entry.getKey() >= 300) {
                    errors += entry.getValue();
                }
            }
            summary.put("errors", errors);
            Map<String, Integer> byStatus = new LinkedHashMap<>();
            statuses.forEach((status, n) -> byStatus.put(status == 0 ? "no answer" : Integer.toString(status), n));
            summary.put("status", byStatus);
            for (double p : new double[] {0.50, 0.95, 0.99, 1.0}) {
                String name = p == 1.0 ? "max_ms" : String.format(Locale.ROOT, "p%d_ms", Math.round(p * 100));
                summary.put(name, count == 0 ? null
                        : Math.round(sorted[Math.min(count - 1, (int) Math.ceil(p * count) - 1)] / 1e4) / 100.0);
            }
            return summary;
        }
    }
}
