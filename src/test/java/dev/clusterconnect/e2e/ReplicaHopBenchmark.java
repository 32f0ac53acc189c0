package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.relay.AgentTokens;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the forwarded hop between relay replicas costs: the same requests through a proxy whose
 * relay replica holds the agent's tunnel (entry = holder) and through a proxy whose replica does
 * not (entry ≠ holder: the entry forwards over its peer link, the holder authenticates and
 * authorises again and puts the stream into the tunnel), in one run. Two relay replicas on a fresh
 * PostgreSQL database, the agent and both proxies are separate JVMs from their runnable jars
 * ({@code -Xmx128m}, as {@link ChainBenchmark}); wrk and curl are the load, the sandbox apiserver
 * runs in this JVM. A part of {@link ReplicaSetBenchmark}: it asserts nothing.
 */
final class ReplicaHopBenchmark {

    private static final String SMALL_PATH = "/api/v1/namespaces/default/configmaps/x";
    private static final String LIST_PATH = "/api/v1/namespaces/bulk/configmaps";
    private static final String HEAP = "128m";
    private static final int LIST_RUNS = 3;
    private static final Duration WARM_UP_ROUND = Duration.ofSeconds(10);
    /** Per path; the rounds alternate between the two paths (see {@link #warmUp}). */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(Long.getLong("bench.warmup", 120));

    private static final int HOLDER = 0;
    private static final int ENTRY = 1;

    /** One way in: the proxy (its own process) and the relay replica it talks to. */
    private record Way(String name, String proxy, String base, String token, Path caFile) {
        String url(String path) {
            return base + path;
        }
    }

    private final SandboxApiServer apiserver;
    private final BenchTable table;
    private final ReplicaBenchCpu cpu = new ReplicaBenchCpu();
    /** The agent and the proxies, by name; the relays' pids are in {@link #relayPids}. */
    private final Map<String, Process> processes = new LinkedHashMap<>();

    private final Map<String, Long> relayPids = new LinkedHashMap<>();
    private Way same;
    private Way forwarded;

    private ReplicaHopBenchmark(SandboxApiServer apiserver, BenchTable table) {
        this.apiserver = apiserver;
        this.table = table;
    }

    static void run(BenchTable table) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        if (!Wrk.available()) {
            throw new IllegalStateException("wrk is not installed: bin/bench installs it (apt-get install wrk)");
        }
        Path dir = Files.createTempDirectory("cc-bench-hop-");
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                        .token("agent-secret-token", Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .bulkConfigMaps("bulk", ChainBenchmark.LIST_BYTES)
                        .build()
                        .start();
                PostgresDatabase database = PostgresDatabase.create("cc_bench_hop");
                Issuer issuer = new Issuer(dir)) {
            ReplicaHopBenchmark bench = new ReplicaHopBenchmark(apiserver, table);
            try (ReplicaBenchRelays relays = bench.startScene(dir, database, issuer)) {
                try {
                    bench.measure(relays, seconds);
                } finally {
                    bench.stopClients();
                    for (int i = 0; i < relays.count(); i++) {
                        ReplicaFleetBenchmark.noteProblems(table, relays, i);
                    }
                }
            }
        }
    }

    private ReplicaBenchRelays startScene(Path dir, PostgresDatabase database, Issuer issuer) throws Exception {
        String agentToken = "agent-" + HexFormat.of().toHexDigits(System.nanoTime());
        Files.writeString(dir.resolve("agent.token"), agentToken);
        Files.writeString(dir.resolve("user.token"), issuer.token(Chain.OWNER));
        String cluster;
        // Opening the store migrates the schema, before the replicas start.
        try (RelayDatabase store = RelayDatabase.open(database.url(), PostgresDatabase.USER, null)) {
            cluster = store.clusters().register(Chain.OWNER, "big").id();
        }
        ReplicaBenchRelays relays = ReplicaBenchRelays.start(
                dir,
                database,
                issuer,
                new ReplicaBenchRelays.Options(
                        2,
                        HEAP,
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(45),
                        Duration.ZERO,
                        Duration.ofSeconds(10),
                        Map.of(
                                "relay.agent-clusters",
                                cluster,
                                "relay.agent-tokens." + cluster,
                                HexFormat.of().formatHex(AgentTokens.sha256(agentToken)))));
        relayPids.put("relay entry", relays.process(ENTRY).pid());
        relayPids.put("relay holder", relays.process(HOLDER).pid());
        relayPids.forEach(cpu::with);
        StringBuilder agentProperties = new StringBuilder();
        issuer.agentProperties()
                .forEach((k, v) -> agentProperties
                        .append(k)
                        .append('=')
                        .append(v.replace("\\", "\\\\"))
                        .append('\n'));
        Files.writeString(dir.resolve("agent.properties"), agentProperties);
        KubeconfigEntry sandbox = KubeconfigEntry.named(
                "sandbox",
                URI.create(apiserver.url()),
                apiserver.caCertificatePem(),
                new BearerTokenCredential("agent-secret-token"));
        Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render(sandbox));
        processes.put(
                "agent",
                ReplicaBenchRelays.launchJar(
                        "agent-app",
                        HEAP,
                        Map.of(
                                "AGENT_RELAY_URL",
                                relays.agentUrl(HOLDER),
                                "AGENT_CLUSTER_ID",
                                cluster,
                                "AGENT_RELAY_CA_FILE",
                                relays.caFile().toString(),
                                "AGENT_RELAY_TOKEN_FILE",
                                dir.resolve("agent.token").toString(),
                                "AGENT_APISERVER_KUBECONFIG",
                                dir.resolve("apiserver.kubeconfig").toString(),
                                "CLUSTERCONNECT_CONFIG",
                                dir.resolve("agent.properties").toString()),
                        dir.resolve("agent-app.log")));
        cpu.with("agent", processes.get("agent").pid());
        same = proxy(dir, "same", relays.httpsUrl(HOLDER), relays, cluster);
        forwarded = proxy(dir, "forwarded", relays.httpsUrl(ENTRY), relays, cluster);
        cpu.with("apiserver", ProcessHandle.current().pid());
        for (Way path : List.of(same, forwarded)) {
            awaitAnswer(path);
        }
        System.out.printf(
                "replica hop: holder pid %d, entry pid %d, agent pid %d, files in %s%n",
                relays.process(HOLDER).pid(),
                relays.process(ENTRY).pid(),
                processes.get("agent").pid(),
                dir);
        return relays;
    }

    private Way proxy(Path dir, String name, String relayUrl, ReplicaBenchRelays relays, String cluster)
            throws Exception {
        int port = Chain.freePort();
        Path state = dir.resolve("proxy-" + name);
        Process process = ReplicaBenchRelays.launchJar(
                "proxy-app",
                HEAP,
                Map.of(
                        "PROXY_LISTEN_PORT",
                        String.valueOf(port),
                        "PROXY_RELAY_URL",
                        relayUrl,
                        "PROXY_RELAY_CA_FILE",
                        relays.caFile().toString(),
                        "PROXY_TOKEN_FILE",
                        dir.resolve("user.token").toString(),
                        "PROXY_STATE_DIR",
                        state.toString(),
                        "PROXY_CLUSTER",
                        cluster,
                        "PROXY_CLUSTER_PORTS",
                        cluster + "=0",
                        "PROXY_KUBECONFIG_FILE",
                        dir.resolve("kubeconfig-" + name).toString()),
                dir.resolve("proxy-" + name + ".log"));
        processes.put("proxy " + name, process);
        cpu.with("proxy " + name, process.pid());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("kubeconfig-" + name)));
        String token = Files.readString(state.resolve("local-token")).trim();
        Path ca = state.resolve("local-ca.crt");
        return new Way(name, "proxy " + name, "https://127.0.0.1:" + port + "/clusters/" + cluster, token, ca);
    }

    /** Until {@code /version} answers 200 on the path: for the entry, once it heard of the tunnel through the store. */
    private static void awaitAnswer(Way path) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(Files.readString(path.caFile())))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(path.url("/version")))
                .header("Authorization", "Bearer " + path.token())
                .timeout(Duration.ofSeconds(10))
                .build();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> client.send(probe, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    private void measure(ReplicaBenchRelays relays, int seconds) throws Exception {
        createSmallObject();
        long warmUp = warmUp();
        table.section(
                String.format(
                        Locale.ROOT,
                        "forwarded hop vs same replica (ReplicaHopBenchmark): %d cores, two relay"
                                + " replicas on PostgreSQL and agent and proxies -Xmx%s, each its own JVM; 'same': the proxy's replica holds the"
                                + " tunnel, 'forwarded': it forwards over its peer link to the holder; small GETs %d s each after %d s of"
                                + " alternating c16 warm-up",
                        Runtime.getRuntime().availableProcessors(),
                        HEAP,
                        seconds,
                        warmUp),
                "same",
                "forwarded");
        smallGets(1, seconds);
        smallGets(16, seconds);
        largeLists();
    }

    private void createSmallObject() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(apiserver.caCertificatePem()))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(URI.create(apiserver.url() + "/api/v1/namespaces/default/configmaps"))
                        .header("Authorization", "Bearer agent-secret-token")
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

    /**
     * c16 rounds on each path in turn until both are within 5 % of their previous round (as
     * {@link ChainBenchmark} warms up the chain): the holder runs different code for each path
     * (the client route, the peer-stream route), and both must be compiled before either is measured.
     */
    private long warmUp() throws Exception {
        Curl.get(same.url(LIST_PATH), same.token(), same.caFile());
        Curl.get(forwarded.url(LIST_PATH), forwarded.token(), forwarded.caFile());
        double[] previous = new double[2];
        long rounds = 0;
        while (rounds * WARM_UP_ROUND.toSeconds() < WARM_UP_LIMIT.toSeconds()) {
            boolean steady = rounds >= 2;
            List<Way> paths = List.of(same, forwarded);
            for (int p = 0; p < 2; p++) {
                double rate = Wrk.run(paths.get(p).url(SMALL_PATH), paths.get(p).token(), 16, WARM_UP_ROUND)
                        .perSecond();
                apiserver.clearRecords();
                steady &= Math.abs(rate - previous[p]) <= 0.05 * previous[p];
                previous[p] = rate;
            }
            rounds++;
            System.out.printf(
                    "replica hop warm-up round %d: same %.0f req/s, forwarded %.0f req/s%n",
                    rounds, previous[0], previous[1]);
            if (steady) {
                break;
            }
        }
        return rounds * 2 * WARM_UP_ROUND.toSeconds();
    }

    private void smallGets(int concurrency, int seconds) throws Exception {
        Map<String, Double> beforeSame = cpu.seconds();
        Wrk.Result sameRun = Wrk.run(same.url(SMALL_PATH), same.token(), concurrency, Duration.ofSeconds(seconds));
        Map<String, Double> usedSame = ProcessCpu.between(beforeSame, cpu.seconds());
        apiserver.clearRecords();
        Map<String, Double> beforeForwarded = cpu.seconds();
        Wrk.Result forwardedRun =
                Wrk.run(forwarded.url(SMALL_PATH), forwarded.token(), concurrency, Duration.ofSeconds(seconds));
        Map<String, Double> usedForwarded = ProcessCpu.between(beforeForwarded, cpu.seconds());
        apiserver.clearRecords();
        String name = "small GET c" + concurrency;
        table.compare(name + " req/s", sameRun.perSecond(), forwardedRun.perSecond(), "%.0f");
        table.compare(name + " p50 ms", sameRun.p50Millis(), forwardedRun.p50Millis(), "%.2f");
        table.compare(name + " p99 ms", sameRun.p99Millis(), forwardedRun.p99Millis(), "%.2f");
        if (sameRun.errors() + forwardedRun.errors() > 0) {
            table.note(name + " errors", sameRun.errors() + " same, " + forwardedRun.errors() + " forwarded");
        }
        Map<String, Double> sameMs = perProcess(usedSame, same, 1000.0 / sameRun.requests());
        Map<String, Double> forwardedMs = perProcess(usedForwarded, forwarded, 1000.0 / forwardedRun.requests());
        sameMs.forEach(
                (process, ms) -> table.compare(name + " CPU ms/req, " + process, ms, forwardedMs.get(process), "%.3f"));
    }

    /**
     * CPU per unit of work by process: the relays, the agent, the proxy of this path (the other
     * proxy is idle), the apiserver, and all of them together; {@code scale} turns seconds into the unit.
     */
    private static Map<String, Double> perProcess(Map<String, Double> used, Way path, double scale) {
        Map<String, Double> figures = new LinkedHashMap<>();
        double all = 0;
        for (String process : List.of("relay entry", "relay holder", "agent", path.proxy(), "apiserver")) {
            double value = used.get(process) * scale;
            figures.put(process.startsWith("proxy") ? "proxy" : process, value);
            all += value;
        }
        figures.put("all processes", all);
        return figures;
    }

    private void largeLists() throws Exception {
        double[] wall = new double[2];
        List<Map<String, Double>> cpuPerMiB = new ArrayList<>();
        List<Map<String, Long>> growth = new ArrayList<>();
        List<Way> paths = List.of(same, forwarded);
        for (int p = 0; p < 2; p++) {
            Way path = paths.get(p);
            Map<String, Long> before = peakRss();
            Map<String, Double> cpuBefore = cpu.seconds();
            wall[p] = medianList(path);
            cpuPerMiB.add(perProcess(
                    ProcessCpu.between(cpuBefore, cpu.seconds()),
                    path,
                    1000.0 / (LIST_RUNS * ChainBenchmark.LIST_BYTES / (1024.0 * 1024))));
            Map<String, Long> after = peakRss();
            Map<String, Long> grown = new LinkedHashMap<>();
            after.forEach((process, peak) -> grown.put(process, peak - before.get(process)));
            growth.add(grown);
        }
        table.compare("100 MB LIST s (median of " + LIST_RUNS + ")", wall[0], wall[1], "%.2f");
        cpuPerMiB
                .get(0)
                .forEach((process, ms) -> table.compare(
                        "100 MB LIST CPU ms/MiB, " + process,
                        ms,
                        cpuPerMiB.get(1).get(process),
                        "%.2f"));
        for (String process : growth.get(0).keySet()) {
            if (process.startsWith("proxy")) {
                continue;
            }
            table.compare(
                    "peak RSS growth in the LISTs MiB, " + process,
                    growth.get(0).get(process),
                    growth.get(1).get(process),
                    "%.0f");
        }
        table.compare(
                "peak RSS growth in the LISTs MiB, proxy",
                growth.get(0).get("proxy same"),
                growth.get(1).get("proxy forwarded"),
                "%.0f");
        table.note(
                "peak RSS MiB after the LISTs (VmHWM): "
                        + String.join(", ", peakRss().keySet()),
                peakRss().values().stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + " / " + b)
                        .orElse(""));
    }

    private double medianList(Way path) throws Exception {
        double[] seconds = new double[LIST_RUNS];
        for (int i = 0; i < LIST_RUNS; i++) {
            Curl.Download download = Curl.get(path.url(LIST_PATH), path.token(), path.caFile());
            if (download.status() != 200 || download.bytes() < ChainBenchmark.LIST_BYTES) {
                throw new IllegalStateException("LIST " + path.name() + " answered " + download.status() + " with "
                        + download.bytes() + " bytes");
            }
            seconds[i] = download.seconds();
        }
        Arrays.sort(seconds);
        return seconds[LIST_RUNS / 2];
    }

    /** VmHWM of every process but this JVM (the apiserver), in MiB. */
    private Map<String, Long> peakRss() throws IOException {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (String name : List.of("relay entry", "relay holder")) {
            peaks.put(name, peakRssMiB(relayPids.get(name)));
        }
        processes.forEach((name, process) -> peaks.put(name, peakRssMiB(process.pid())));
        return peaks;
    }

    private static long peakRssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException exited) {
            // reported as -1
        }
        return -1;
    }

    private void stopClients() throws InterruptedException {
        for (Process process : processes.values()) {
            process.destroy();
        }
        for (Process process : processes.values()) {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
