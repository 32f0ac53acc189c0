package dev.clusterconnect.e2e;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Interactive exec, chain against direct: the round trip of one byte typed into
 * {@code kubectl exec -i pod -- cat} and echoed back, over the WebSocket remotecommand protocol
 * ({@code v5.channel.k8s.io}). Every byte crosses proxy, relay, tunnel and agent twice as one small
 * message, so this shows the per-message cost of each hop with no throughput to hide it: latency,
 * and the CPU each JVM spends per round trip. Also times whole {@code exec -- true} calls.
 *
 * <p>The WebSocket client runs in a JVM of its own ({@link ExecEchoClient}); the sandbox shares
 * this JVM, the apps run in theirs ({@link SeparateProcesses}). Not a test: nothing is asserted.
 * {@code -Dbench.exec.round-trips=N} changes the number of measured round trips (default 2000).
 */
public final class ExecBenchmark {

    static final String POD = "exec-bench";
    private static final String TOKEN = "agent-secret-token";
    /** So that the measured round trips run compiled code in every hop, not the interpreter. */
    private static final int ECHO_WARM_UP = 2000;

    private static final int EXECS_WARM_UP = 10;
    private static final int EXECS = 21;
    private static final String SANDBOX = "sandbox";
    private static final String FORMAT = "| %-38s | %14s | %20s | %11s |%n";

    private final SandboxApiServer apiserver;
    private final SeparateProcesses chain;
    private final List<String[]> rows = new ArrayList<>();

    private ExecBenchmark(SandboxApiServer apiserver, SeparateProcesses chain) {
        this.apiserver = apiserver;
        this.chain = chain;
    }

    public static void main(String[] args) {
        int status = 1;
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                        .token(TOKEN, Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .build()
                        .start();
                SeparateProcesses chain = SeparateProcesses.start(apiserver, "128m")) {
            print(run(apiserver, chain, Integer.getInteger("bench.exec.round-trips", 2000)));
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        }
        // a failed client leaves nothing behind, but the sandbox's threads would keep this JVM up
        System.exit(status);
    }

    /**
     * Creates the pod (unless it exists) on {@code apiserver}, which must accept the token
     * {@value #TOKEN} as ChainBenchmark's sandbox does, measures both paths one after the other and
     * returns the table rows: measure, direct, chain, chain/direct.
     */
    static List<String[]> run(SandboxApiServer apiserver, SeparateProcesses chain, int roundTrips) throws Exception {
        ExecBenchmark bench = new ExecBenchmark(apiserver, chain);
        createPod(apiserver);
        bench.echo(roundTrips);
        bench.execsOfTrue();
        return bench.rows;
    }

    private void echo(int roundTrips) throws Exception {
        Run direct = client("echo", false, ECHO_WARM_UP, roundTrips);
        Run chained = client("echo", true, ECHO_WARM_UP, roundTrips);
        rows.add(millis("exec 1-byte echo p50 ms", direct.nanos[1], chained.nanos[1]));
        rows.add(millis("exec 1-byte echo p90 ms", direct.nanos[2], chained.nanos[2]));
        rows.add(millis("exec 1-byte echo p99 ms", direct.nanos[3], chained.nanos[3]));
        rows.add(millis("exec 1-byte echo max ms", direct.nanos[4], chained.nanos[4]));
        rows.add(micros(
                "echo CPU us/round trip: sandbox JVM",
                direct.cpu.get(SANDBOX) / roundTrips,
                chained.cpu.get(SANDBOX) / roundTrips));
        for (String app : chain.byName.keySet()) {
            rows.add(new String[] {
                "echo CPU us/round trip: " + app, "", String.valueOf(chained.cpu.get(app) / roundTrips / 1000), ""
            });
        }
        rows.add(micros(
                "echo CPU us/round trip: all servers",
                direct.totalCpu() / roundTrips,
                chained.totalCpu() / roundTrips));
    }

    private void execsOfTrue() throws Exception {
        Run direct = client("true", false, EXECS_WARM_UP, EXECS);
        Run chained = client("true", true, EXECS_WARM_UP, EXECS);
        rows.add(millis("exec -- true (whole) p50 ms", direct.nanos[1], chained.nanos[1]));
        rows.add(millis("exec -- true (whole) p90 ms", direct.nanos[2], chained.nanos[2]));
        rows.add(row(
                "exec -- true CPU ms/exec: all servers",
                direct.totalCpu() / 1e6 / EXECS,
                chained.totalCpu() / 1e6 / EXECS,
                "%.1f"));
    }

    private String directPod() {
        return apiserver.url().replaceFirst("^https", "wss") + "/api/v1/namespaces/default/pods/" + POD;
    }

    private String chainPod() {
        return "wss://127.0.0.1:" + chain.proxyPort + "/clusters/" + chain.cluster + "/api/v1/namespaces/default/pods/"
                + POD;
    }

    private static void createPod(SandboxApiServer apiserver) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(apiserver.caCertificatePem()))
                .build();
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + POD + "\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"sandbox/demo:1\"}]}}";
        HttpResponse<String> created = client.send(
                HttpRequest.newBuilder(URI.create(apiserver.url() + "/api/v1/namespaces/default/pods"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(pod))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IllegalStateException(
                    "could not create pod " + POD + ": " + created.statusCode() + " " + created.body());
        }
    }

    /**
     * Runs {@link ExecEchoClient} in a JVM of its own, directly or through the chain, and reads the
     * CPU time of the server JVMs when it starts and ends its measured runs: the warm-up stays out
     * of the figure, and so does the JIT compiler ({@link CpuTime}); garbage collection stays in.
     */
    private Run client(String mode, boolean viaChain, int warmUp, int count) throws Exception {
        String podUrl = viaChain ? chainPod() : directPod();
        Map<String, Process> apps = viaChain ? chain.byName : Map.of();
        Path ca = Files.createTempFile("exec-bench-ca", ".pem");
        Files.writeString(ca, viaChain ? chain.localCaPem : apiserver.caCertificatePem());
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ExecEchoClient.class.getName(),
                        mode,
                        podUrl,
                        ca.toString(),
                        String.valueOf(warmUp),
                        String.valueOf(count))
                .redirectErrorStream(true);
        builder.environment().put("EXEC_BENCH_TOKEN", viaChain ? chain.localToken : TOKEN);
        Process client = builder.start();
        try {
            return read(client, apps);
        } finally {
            client.destroyForcibly();
            Files.deleteIfExists(ca);
        }
    }

    private static Run read(Process client, Map<String, Process> apps) throws Exception {
        StringBuilder output = new StringBuilder();
        Map<String, Long> before = Map.of();
        Map<String, Long> used = null;
        long[] result = null;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.equals(ExecEchoClient.MEASURING)) {
                    before = cpu(apps);
                } else if (line.equals(ExecEchoClient.MEASURED)) {
                    used = cpu(apps);
                    for (Map.Entry<String, Long> start : before.entrySet()) {
                        used.merge(start.getKey(), start.getValue(), (now, then) -> now - then);
                    }
                } else if (line.startsWith("RESULT ")) {
                    result = Arrays.stream(line.substring(7).trim().split(" "))
                            .mapToLong(Long::parseLong)
                            .toArray();
                }
            }
        }
        if (!client.waitFor(1, TimeUnit.MINUTES) || client.exitValue() != 0 || result == null || used == null) {
            throw new IOException("the exec client failed:\n" + output);
        }
        return new Run(result, used);
    }

    /** CPU nanoseconds so far of this JVM (as {@value #SANDBOX}) and of {@code apps}. */
    private static Map<String, Long> cpu(Map<String, Process> apps) throws IOException {
        Map<String, Long> used = new LinkedHashMap<>();
        used.put(SANDBOX, CpuTime.ofThisProcess());
        for (Map.Entry<String, Process> app : apps.entrySet()) {
            used.put(app.getKey(), CpuTime.withoutJit(app.getValue().pid()));
        }
        return used;
    }

    private static String[] millis(String name, long directNanos, long chainNanos) {
        return row(name, directNanos / 1e6, chainNanos / 1e6, "%.3f");
    }

    private static String[] micros(String name, long directNanos, long chainNanos) {
        return row(name, directNanos / 1e3, chainNanos / 1e3, "%.0f");
    }

    private static String[] row(String name, double direct, double chained, String format) {
        return new String[] {
            name,
            String.format(Locale.ROOT, format, direct),
            String.format(Locale.ROOT, format, chained),
            direct == 0 ? "" : String.format(Locale.ROOT, "%.2f", chained / direct)
        };
    }

    /** One client run: its RESULT numbers and the CPU nanoseconds each server JVM spent in the measured part. */
    private record Run(long[] nanos, Map<String, Long> cpu) {
        long totalCpu() {
            return cpu.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static void print(List<String[]> rows) {
        System.out.printf(
                "%nexec chain vs direct (%d cores; apps -Xmx128m in their own JVMs, sandbox in this one, WebSocket"
                        + " client in its own; %d unmeasured round trips first; CPU without JIT threads)%n",
                Runtime.getRuntime().availableProcessors(), ECHO_WARM_UP);
        System.out.printf(FORMAT, "measure", "direct", "chain", "chain/direct");
        System.out.printf(FORMAT, "-".repeat(38), "-".repeat(14), "-".repeat(20), "-".repeat(11));
        for (String[] row : rows) {
            System.out.printf(FORMAT, (Object[]) row);
        }
    }
}
