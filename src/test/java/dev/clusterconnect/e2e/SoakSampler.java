package dev.clusterconnect.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads what each app holds, from outside the process: heap in use after a full GC (jcmd), threads
 * and open file descriptors (/proc), and the streams it has open (its own {@code /metrics}).
 */
final class SoakSampler {

    /** The series judged per app, in table order. */
    static final List<String> SERIES = List.of("heap MiB", "threads", "fds", "streams");

    /**
     * The gauge of what each app holds open per request: streams in the relay's tunnels and in the
     * agent's; the proxy holds no tunnel, so its client connections.
     */
    private static final Map<String, String> STREAM_GAUGES = Map.of(
            "relay-app", "clusterconnect_streams_open{hop=\"relay-clients\"}",
            "agent-app", "clusterconnect_streams_open{hop=\"agent-requests\"}",
            "proxy-app", "clusterconnect_connections_open{hop=\"proxy-local\"}");

    private final SeparateProcesses chain;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    SoakSampler(SeparateProcesses chain) {
        this.chain = chain;
    }

    /** app -> series -> value, apps in the order relay, agent, proxy. */
    Map<String, Map<String, Double>> sample() throws IOException, InterruptedException {
        Map<String, Map<String, Double>> byApp = new LinkedHashMap<>();
        for (var app : chain.byName.entrySet()) {
            long pid = app.getValue().pid();
            if (!app.getValue().isAlive()) {
                throw new IllegalStateException(app.getKey() + " exited with "
                        + app.getValue().exitValue() + "; its log: " + chain.dir.resolve(app.getKey() + ".log"));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("heap MiB", JvmProbe.usedHeapAfterFullGc(pid) / (1024.0 * 1024));
            values.put("threads", (double) threads(pid));
            values.put("fds", (double) fds(pid));
            values.put("streams", streams(app.getKey()));
            byApp.put(name(app.getKey()), values);
        }
        return byApp;
    }

    /** The streams gauge of every app now, without the GC: for waiting until they drain. */
    Map<String, Double> streams() throws IOException, InterruptedException {
        Map<String, Double> byApp = new LinkedHashMap<>();
        for (String module : chain.byName.keySet()) {
            byApp.put(name(module), streams(module));
        }
        return byApp;
    }

    static String name(String module) {
        return module.replace("-app", "");
    }

    /** The kernel's count for the process: Java threads and the JVM's own (GC, compiler). */
    static long threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads line in /proc/" + pid + "/status");
    }

    static long fds(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        }
    }

    private double streams(String module) throws IOException, InterruptedException {
        String gauge = STREAM_GAUGES.get(module);
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chain.healthPorts.get(module) + "/metrics"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException(module + " /metrics answered " + metrics.statusCode());
        }
        return gauge(metrics.body(), gauge);
    }

    /** The value of one series in a Prometheus text exposition; a missing series is an error. */
    static double gauge(String exposition, String series) {
        Matcher value = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(exposition);
        if (!value.find()) {
            throw new IllegalStateException("no " + series + " in the metrics");
        }
        return Double.parseDouble(value.group(1));
    }
}
