package dev.clusterconnect.e2e;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Compares the chain (proxy, relay and agent as separate JVMs with -Xmx128m) to the direct path to
 * the same sandbox apiserver, in one run, and prints one table of ratios. Not a test: nothing here
 * asserts a time, because figures on a shared build machine vary too much to gate a build on.
 *
 * <p>The load comes from separate processes: {@code wrk} for the small GETs, {@code curl} for the
 * LISTs. This JVM holds the sandbox apiserver and the orchestration only. Run with
 * {@code bin/bench}; {@code -Dbench.seconds=N} changes the length of each small-GET run, and
 * {@code -Dbench.serve=true} starts everything and waits (for a profiler, or wrk by hand).
 */
public final class ChainBenchmark {

    static final long LIST_BYTES = 100L * 1024 * 1024;
    private static final String SMALL_PATH = "/api/v1/namespaces/default/configmaps/x";
    private static final String LIST_PATH = "/api/v1/namespaces/bulk/configmaps";
    /** Events queued behind the stalled watch: enough to fill every window and buffer on the way. */
    private static final int STALLED_EVENTS = 20_000;
    /** LIST runs per path; the table shows the median. */
    private static final int LIST_RUNS = 3;
    /**
     * The apps' JIT needs traffic before a figure means anything: measured, chain req/s keeps rising
     * for 30 to 60 s of c16 load, and a fixed 30 s warm-up left one run at half the throughput of
     * the next. So the warm-up runs in 10 s rounds until a round is within 5 % of the one before.
     */
    private static final Duration WARM_UP_ROUND = Duration.ofSeconds(10);

    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(Long.getLong("bench.warmup", 120));

    private final SandboxApiServer apiserver;
    private final SeparateProcesses chain;
    private final Target direct;
    private final Target proxied;
    private final BenchTable table;
    /** The chain's processes and the apiserver (this JVM). */
    private final ProcessCpu cpu = new ProcessCpu();

    private ChainBenchmark(SandboxApiServer apiserver, SeparateProcesses chain, BenchTable table) throws IOException {
        this.apiserver = apiserver;
        this.chain = chain;
        this.table = table;
        chain.byName.forEach((name, process) -> cpu.with(name, process.pid()));
        cpu.with("apiserver", ProcessHandle.current().pid());
        this.direct = new Target(
                apiserver.url(),
                "agent-secret-token",
                write(chain.dir, "apiserver-ca.crt", apiserver.caCertificatePem()));
        this.proxied = new Target(
                "https://127.0.0.1:" + chain.proxyPort + "/clusters/" + chain.cluster,
                chain.localToken,
                write(chain.dir, "local-ca.crt", chain.localCaPem));
    }

    public static void main(String[] args) {
        int status = 1;
        BenchTable table = new BenchTable();
        try {
            run(table);
            BenchTargets.judge(table);
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        } finally {
            // what was measured before a failure is still worth seeing
            table.print(System.out);
        }
        System.exit(status);
    }

    static void run(BenchTable table) throws Exception {
        java.util.Set<String> parts = java.util.Set.of(
                System.getProperty("bench.parts", "chain,exec,watches,fleet").split(","));
        if (parts.contains("chain") || parts.contains("exec")) {
            chainAndExec(table, parts);
        }
        if (parts.contains("watches")) {
            String heap = System.getProperty("watch.heap", "256m");
            int rate = Integer.getInteger("watch.rate", 1000);
            table.section(String.format(
                    Locale.ROOT,
                    "watches over one agent tunnel (WatchBenchmark: clients in their own JVM"
                            + " straight to the relay; relay and agent -Xmx%s; %d events/s written)",
                    heap,
                    rate));
            WatchBenchmark.run(List.of(1_000, 10_000), heap, rate).forEach(table::add);
        }
        if (parts.contains("fleet")) {
            AgentFleetBenchmark.Fleet fleet = AgentFleetBenchmark.Fleet.fromSystemProperties();
            table.section(String.format(
                    Locale.ROOT,
                    "idle agents per relay (AgentFleetBenchmark: simulated agents of the real"
                            + " protocol in one JVM; relay -Xmx%s; PING every %d s)",
                    fleet.heap(),
                    fleet.heartbeat().toSeconds()));
            AgentFleetBenchmark.run(fleet).forEach(table::add);
        }
    }

    private static void chainAndExec(BenchTable table, java.util.Set<String> parts) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        if (!Wrk.available()) {
            throw new IllegalStateException("wrk is not installed: bin/bench installs it (apt-get install wrk)");
        }
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                        .token("agent-secret-token", Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .bulkConfigMaps("bulk", LIST_BYTES)
                        .build()
                        .start();
                SeparateProcesses chain = SeparateProcesses.start(apiserver, "128m")) {
            ChainBenchmark bench = new ChainBenchmark(apiserver, chain, table);
            bench.createSmallObject();
            if (Boolean.getBoolean("bench.serve")) {
                bench.serve();
                return;
            }
            if (parts.contains("chain")) {
                long warmUp = bench.warmUp();
                table.section(String.format(
                        Locale.ROOT,
                        "chain vs direct: %d cores, wrk/curl load in their own processes,"
                                + " apps -Xmx128m in their own JVMs, small GETs %d s each after %d s of c16 warm-up (until steady)",
                        Runtime.getRuntime().availableProcessors(),
                        seconds,
                        warmUp));
                bench.smallGets(1, seconds);
                bench.smallGets(16, seconds);
                bench.largeList();
                bench.fairness();
            }
            if (!parts.contains("exec")) {
                return;
            }
            table.section(
                    "exec through the chain (ExecBenchmark: a WebSocket v5.channel.k8s.io client in its own JVM)");
            ExecBenchmark.run(apiserver, chain, Integer.getInteger("bench.exec.round-trips", 2000))
                    .forEach(table::add);
        }
    }

    /** Keeps everything running for a profiler or an external load generator, until killed. */
    private void serve() throws Exception {
        System.out.printf(
                "direct: %s%s token %s%nchain:  %s%s token %s%npids: %s%n",
                direct.base,
                SMALL_PATH,
                direct.token,
                proxied.base,
                SMALL_PATH,
                proxied.token,
                chain.byName.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().pid())
                        .toList());
        Thread.sleep(Long.MAX_VALUE);
    }

    private void createSmallObject() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(apiserver.caCertificatePem()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(URI.create(direct.base + "/api/v1/namespaces/default/configmaps"))
                        .header("Authorization", "Bearer " + direct.token)
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},\"data\":{\"k\":\"v\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException(
                    "could not create configmap x: " + created.statusCode() + " " + created.body());
        }
    }

    /** Returns the seconds the chain's warm-up took. */
    private long warmUp() throws Exception {
        Wrk.run(direct.url(SMALL_PATH), direct.token, 16, Duration.ofSeconds(5));
        Curl.get(proxied.url(LIST_PATH), proxied.token, proxied.caFile);
        double previous = 0;
        long rounds = 0;
        while (rounds * WARM_UP_ROUND.toSeconds() < WARM_UP_LIMIT.toSeconds()) {
            double rate = Wrk.run(proxied.url(SMALL_PATH), proxied.token, 16, WARM_UP_ROUND)
                    .perSecond();
            rounds++;
            apiserver.clearRecords();
            if (rounds > 2 && Math.abs(rate - previous) <= 0.05 * previous) {
                break;
            }
            previous = rate;
        }
        return rounds * WARM_UP_ROUND.toSeconds();
    }

    private void smallGets(int concurrency, int seconds) throws Exception {
        Wrk.Result directRun = Wrk.run(direct.url(SMALL_PATH), direct.token, concurrency, Duration.ofSeconds(seconds));
        apiserver.clearRecords();
        Map<String, Double> before = cpu.seconds();
        Wrk.Result chainRun = Wrk.run(proxied.url(SMALL_PATH), proxied.token, concurrency, Duration.ofSeconds(seconds));
        Map<String, Double> used = ProcessCpu.between(before, cpu.seconds());
        apiserver.clearRecords();
        String name = "small GET c" + concurrency;
        table.compare(name + " req/s", directRun.perSecond(), chainRun.perSecond(), "%.0f");
        table.compare(name + " p50 ms", directRun.p50Millis(), chainRun.p50Millis(), "%.2f");
        table.compare(name + " p99 ms", directRun.p99Millis(), chainRun.p99Millis(), "%.2f");
        if (directRun.errors() + chainRun.errors() > 0) {
            table.note(name + " errors", directRun.errors() + " direct, " + chainRun.errors() + " chain");
        }
        if (concurrency > 1) {
            used.forEach((process, cpuSeconds) -> table.note(
                    name + " " + process + " CPU ms/req",
                    String.format(Locale.ROOT, "%.3f", cpuSeconds * 1000 / chainRun.requests())));
        }
    }

    private void largeList() throws Exception {
        double directSeconds = medianList(direct);
        // after the small GETs, so the growth is what the LIST adds to a warmed-up process
        Map<String, Long> before = peakRss();
        Map<String, Double> cpuBefore = cpu.seconds();
        double chainSeconds = medianList(proxied);
        Map<String, Double> cpuUsed = ProcessCpu.between(cpuBefore, cpu.seconds());
        Map<String, Long> after = peakRss();
        table.compare("100 MB LIST s (median of " + LIST_RUNS + ")", directSeconds, chainSeconds, "%.2f");
        cpuUsed.forEach((process, cpuSeconds) -> table.note(
                "100 MB LIST " + process + " CPU ms",
                String.format(Locale.ROOT, "%.0f", cpuSeconds * 1000 / LIST_RUNS)));
        after.forEach((app, peak) -> table.note(
                app + " peak RSS growth MiB",
                String.format(Locale.ROOT, "%d (%d -> %d)", peak - before.get(app), before.get(app), peak)));
    }

    /**
     * A watch whose client never reads, with thousands of events queued behind it, shares the
     * tunnel with the 100 MB LIST: the LIST must not wait for it. Both columns are through the chain.
     */
    private void fairness() throws Exception {
        double alone = medianList(proxied);
        SSLContext tls = LargeListInBoundedMemoryTest.trusting(chain.localCaPem);
        try (SSLSocket stalled = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", chain.proxyPort)) {
            int watchesBefore = apiserver.openWatchCount();
            OutputStream out = stalled.getOutputStream();
            out.write(
                    ("GET /clusters/" + chain.cluster + "/api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\n"
                                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + chain.localToken + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> apiserver.openWatchCount() > watchesBefore);
            for (int i = 0; i < STALLED_EVENTS; i++) {
                try {
                    apiserver.store().emitConfigMaps("default", 1);
                } catch (dev.clusterconnect.sandbox.store.ApiException nameTaken) {
                    // generateName's short random suffix collides now and then; one event fewer is fine
                }
            }
            double withStalled = medianList(proxied);
            table.compare(
                    "LIST alone (direct column) vs beside a stalled watch, both chained, s",
                    alone,
                    withStalled,
                    "%.2f");
        }
    }

    private double medianList(Target target) throws Exception {
        double[] seconds = new double[LIST_RUNS];
        for (int i = 0; i < LIST_RUNS; i++) {
            Curl.Download download = Curl.get(target.url(LIST_PATH), target.token, target.caFile);
            if (download.status() != 200 || download.bytes() < LIST_BYTES) {
                throw new IllegalStateException(
                        "LIST answered " + download.status() + " with " + download.bytes() + " bytes");
            }
            seconds[i] = download.seconds();
        }
        Arrays.sort(seconds);
        return seconds[LIST_RUNS / 2];
    }

    private Map<String, Long> peakRss() throws IOException {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (var entry : chain.byName.entrySet()) {
            peaks.put(entry.getKey(), SeparateProcesses.peakRssMiB(entry.getValue()));
        }
        return peaks;
    }

    private static Path write(Path dir, String name, String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem);
    }

    /** Where requests go and how they authenticate. */
    private record Target(String base, String token, Path caFile) {
        String url(String path) {
            return base + path;
        }
    }
}
