package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thousands of concurrent watches carried by one agent tunnel: how long an event takes from the
 * apiserver writing it to the client reading it, against the same watches held directly on the
 * sandbox apiserver, and how much heap each idle watch costs the relay and the agent. Not a test:
 * it prints figures and asserts none.
 *
 * <p>The watch clients run in a JVM of their own ({@link WatchClients}) and call the relay in
 * direct mode ({@code https://relay/clusters/<id>} with the user's OIDC token), not through the
 * proxy, which would hold two sockets per watch. Relay and agent run as separate JVMs
 * ({@link SeparateProcesses}); the sandbox apiserver and the event writer run in this JVM.
 *
 * <p>Each N runs the direct path, then the chain, each in four steps: open N watches (one
 * connection each, on namespaces of their own), take the relay's and agent's heap after a full GC,
 * write events at a steady rate round-robin over the namespaces, collect the latencies. CPU seconds
 * per process are reported beside the wall-clock figures, because on a shared machine the latter
 * mostly say how busy the machine was.
 *
 * <p>System properties: {@code watch.counts} (default {@code 1000,10000}), {@code watch.heap}
 * (the apps' -Xmx, default {@code 256m}: with the 128m of the other benchmarks the relay runs out
 * of heap at about 5,800 open watches), {@code watch.rate} (events written per second, default
 * 1000), {@code watch.clients.jvm-options} (extra options for the load generator's JVM).
 */
public final class WatchBenchmark {

    static final String SANDBOX_TOKEN = "agent-secret-token";
    /** Each watch gets at least this many events, spread over the run. */
    static final int EVENTS_PER_WATCH = 2;
    /** Small runs get more events per watch, so their percentiles rest on enough samples. */
    static final int MIN_EVENTS = 5_000;
    /** The warm-up (JIT, JWKS fetch, class loading, pools) on both paths before anything is measured. */
    static final int WARMUP_WATCHES = 100;

    static final int WARMUP_EVENTS = 2_000;

    private final SandboxApiServer apiserver;
    private final SeparateProcesses chain;
    private final WatchClientProcess clients;
    private final int rate;
    private final Target direct;
    private final Target relay;
    private final List<String[]> rows;

    /** Where the watch clients connect and with what. */
    private record Target(String base, Path tokenFile, Path caFile) {}

    private WatchBenchmark(
            SandboxApiServer apiserver,
            SeparateProcesses chain,
            WatchClientProcess clients,
            int rate,
            List<String[]> rows)
            throws Exception {
        this.apiserver = apiserver;
        this.chain = chain;
        this.clients = clients;
        this.rate = rate;
        this.rows = rows;
        Path sandboxCa = Files.writeString(chain.dir.resolve("sandbox-ca.crt"), apiserver.caCertificatePem());
        Path sandboxToken = Files.writeString(chain.dir.resolve("sandbox.token"), SANDBOX_TOKEN);
        this.direct = new Target(apiserver.url(), sandboxToken, sandboxCa);
        this.relay = new Target(
                "https://127.0.0.1:" + chain.relayPort + "/clusters/" + chain.cluster,
                chain.dir.resolve("user.token"),
                chain.dir.resolve("ca.crt"));
    }

    public static void main(String[] args) {
        List<Integer> counts = Arrays.stream(
                        System.getProperty("watch.counts", "1000,10000").split(","))
                .map(String::trim)
                .map(Integer::valueOf)
                .toList();
        String heap = System.getProperty("watch.heap", "256m");
        int rate = Integer.getInteger("watch.rate", 1000);
        int status = 1;
        try {
            String loadBefore = loadAverage();
            List<String[]> rows = run(counts, heap, rate);
            print(
                    String.format(
                            Locale.ROOT,
                            "watches over one agent tunnel (%d cores, relay and agent -Xmx%s in their own JVMs,"
                                    + " watch clients in their own JVM, %d events/s written; load average %s before, %s after)",
                            Runtime.getRuntime().availableProcessors(),
                            heap,
                            rate,
                            loadBefore,
                            loadAverage()),
                    rows);
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        }
        System.exit(status);
    }

    /**
     * Runs every count through the direct path and the chain and returns the table's rows
     * ({@code measure, direct, chain, chain/direct}). Rows measured before a failure are kept: the
     * failure is the last row.
     */
    static List<String[]> run(List<Integer> counts, String heap, int rate) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                        .token(SANDBOX_TOKEN, Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .build()
                        .start();
                SeparateProcesses chain = SeparateProcesses.start(apiserver, heap);
                WatchClientProcess clients = WatchClientProcess.start(chain.dir.resolve("watch-clients.log"))) {
            WatchBenchmark bench = new WatchBenchmark(apiserver, chain, clients, rate, rows);
            try {
                bench.warmUp();
                for (int count : counts) {
                    bench.measure(count);
                }
            } finally {
                chain.byName.forEach((app, process) -> {
                    if (!process.isAlive()) {
                        rows.add(new String[] {app + " exited " + process.exitValue() + " (see its log)", "", "", ""});
                    }
                });
            }
        } catch (Exception | Error e) {
            rows.add(new String[] {"failed: " + e, "", "", ""});
            e.printStackTrace();
        }
        return rows;
    }

    /**
     * SeparateProcesses returns once the proxy is up, not the agent's tunnel: until the tunnel is
     * up the relay answers 503, so wait for a request through it to succeed.
     */
    private void awaitTunnel() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(Files.readString(relay.caFile)))
                .build();
        java.net.http.HttpRequest version = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(relay.base + "/version"))
                .header(
                        "Authorization",
                        "Bearer " + Files.readString(relay.tokenFile).trim())
                .build();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> client.send(version, java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    private void warmUp() throws Exception {
        awaitTunnel();
        phase(WARMUP_WATCHES, "wd-", direct, WARMUP_EVENTS, false);
        phase(WARMUP_WATCHES, "wc-", relay, WARMUP_EVENTS, true);
    }

    private void measure(int count) throws Exception {
        int events = Math.max(MIN_EVENTS, EVENTS_PER_WATCH * count);
        WatchPhase onSandbox = phase(count, "d" + count + "-", direct, events, false);
        WatchPhase throughChain;
        try {
            throughChain = phase(count, "c" + count + "-", relay, events, true);
        } catch (Exception | Error e) {
            rows.addAll(WatchPhase.directRows(onSandbox));
            throw e;
        }
        rows.addAll(WatchPhase.rows(onSandbox, throughChain));
    }

    private WatchPhase phase(int count, String prefix, Target target, int events, boolean throughChain)
            throws Exception {
        WatchEventWriter.createNamespaces(apiserver.store(), prefix, count);
        ProcessCpu cpu = new ProcessCpu();
        if (throughChain) {
            cpu.with("relay", chain.byName.get("relay-app").pid())
                    .with("agent", chain.byName.get("agent-app").pid());
        }
        cpu.with("sandbox", ProcessHandle.current().pid());
        Map<String, Long> before = throughChain ? heaps() : Map.of();
        Map<String, Double> cpuAtStart = cpu.seconds();
        try {
            WatchClientProcess.Opened opened =
                    clients.open(target.base, target.tokenFile, target.caFile, count, prefix, events);
            // the head can reach the client before the sandbox registered the watch: wait for that
            await().atMost(Duration.ofSeconds(60)).until(() -> apiserver.openWatchCount() >= opened.ok());
            Map<String, Double> openCpu = ProcessCpu.between(cpuAtStart, cpu.seconds());
            openCpu.put("clients", opened.cpuSeconds());
            Map<String, Long> open = throughChain ? heaps() : Map.of();
            cpu.with("clients", clients.pid());
            Map<String, Double> cpuAtWrite = cpu.seconds();
            double writeSeconds = WatchEventWriter.write(apiserver.store(), prefix, count, events, rate);
            WatchClientProcess.Result result = clients.result(events);
            Map<String, Double> eventCpu = ProcessCpu.between(cpuAtWrite, cpu.seconds());
            return new WatchPhase(count, opened, result, events, writeSeconds, before, open, openCpu, eventCpu);
        } finally {
            clients.closeWatches();
            // closed watches leave the sandbox once each hop has noticed: the next phase starts clean
            await().atMost(Duration.ofSeconds(60)).until(() -> apiserver.openWatchCount() == 0);
            WatchEventWriter.deleteEvents(apiserver.store(), prefix, count, events);
        }
    }

    private Map<String, Long> heaps() throws Exception {
        Map<String, Long> used = new LinkedHashMap<>();
        for (String app : List.of("relay-app", "agent-app")) {
            used.put(app, JvmProbe.usedHeapAfterFullGc(chain.byName.get(app).pid()));
        }
        return used;
    }

    /** The 1-minute load average: on a shared machine, how much else was running. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** The rows as ChainBenchmark prints them. */
    static void print(String title, List<String[]> rows) {
        System.out.printf("%n%s%n", title);
        String format = "| %-38s | %26s | %50s | %11s |%n";
        System.out.printf(format, "measure", "direct", "chain", "chain/direct");
        System.out.printf(format, "-".repeat(38), "-".repeat(26), "-".repeat(50), "-".repeat(11));
        for (String[] row : rows) {
            System.out.printf(format, (Object[]) row);
        }
    }
}
