package dev.clusterconnect.e2e;

import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Compares the chain (proxy, relay and agent as separate JVMs with -Xmx128m) to the direct path to
 * the same sandbox apiserver, in one run, and prints one table of ratios. Not a test: nothing here
 * asserts a time, because figures on a shared build machine vary too much to gate a build on.
 *
 * <p>The sandbox and the load generator share this JVM; the three apps do not. Run with
 * {@code bin/bench}; {@code -Dbench.seconds=N} changes the length of each small-GET run.
 */
public final class ChainBenchmark {

    private static final long LIST_BYTES = 100L * 1024 * 1024;
    private static final String SMALL_PATH = "/api/v1/namespaces/default/configmaps/x";
    private static final String LIST_PATH = "/api/v1/namespaces/bulk/configmaps";
    /** Events queued behind the stalled watch: enough to fill every window and buffer on the way. */
    private static final int STALLED_EVENTS = 20_000;

    private final SandboxApiServer apiserver;
    private final SeparateProcesses chain;
    private final Target direct;
    private final Target proxied;
    private final List<String[]> rows = new ArrayList<>();

    private ChainBenchmark(SandboxApiServer apiserver, SeparateProcesses chain) throws Exception {
        this.apiserver = apiserver;
        this.chain = chain;
        this.direct = new Target(apiserver.url(), "agent-secret-token",
                LargeListInBoundedMemoryTest.trusting(apiserver.caCertificatePem()));
        this.proxied = new Target("https://127.0.0.1:" + chain.proxyPort + "/clusters/" + chain.cluster, chain.localToken,
                LargeListInBoundedMemoryTest.trusting(chain.localCaPem));
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run();
            status = 0;
        } catch (Exception | Error e) {
            e.printStackTrace();
        }
        // the load clients' executor threads are not daemons: without this a failed run never ends
        System.exit(status);
    }

    private static void run() throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        try (SandboxApiServer apiserver = SandboxApiServer.builder()
                .token("agent-secret-token", Chain.AGENT_USER).impersonator(Chain.AGENT_USER)
                .bulkConfigMaps("bulk", LIST_BYTES)
                .build().start();
             SeparateProcesses chain = SeparateProcesses.start(apiserver, "128m")) {
            ChainBenchmark bench = new ChainBenchmark(apiserver, chain);
            try {
                bench.createSmallObject();
                bench.smallGets(1, seconds);
                bench.smallGets(16, seconds);
                bench.largeList();
                bench.fairness();
            } finally {
                // what was measured before a failure is still worth seeing
                bench.print(seconds);
            }
        }
    }

    private void createSmallObject() throws Exception {
        HttpResponse<String> created = direct.client(1).send(direct.request("/api/v1/namespaces/default/configmaps")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"},\"data\":{\"k\":\"v\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("could not create configmap x: " + created.statusCode() + " " + created.body());
        }
    }

    private void smallGets(int concurrency, int seconds) throws Exception {
        // A short warm-up per path: JIT and TLS handshakes are not what this measures.
        Load.run(direct, concurrency, Duration.ofSeconds(2));
        Load directLoad = Load.run(direct, concurrency, Duration.ofSeconds(seconds));
        apiserver.clearRecords();
        Load.run(proxied, concurrency, Duration.ofSeconds(2));
        Load chainLoad = Load.run(proxied, concurrency, Duration.ofSeconds(seconds));
        apiserver.clearRecords();
        String name = "small GET c" + concurrency;
        rows.add(row(name + " req/s", directLoad.perSecond(), chainLoad.perSecond(), "%.0f"));
        rows.add(row(name + " p50 ms", directLoad.percentileMillis(50), chainLoad.percentileMillis(50), "%.2f"));
        rows.add(row(name + " p99 ms", directLoad.percentileMillis(99), chainLoad.percentileMillis(99), "%.2f"));
        if (directLoad.errors + chainLoad.errors > 0) {
            rows.add(new String[] {name + " errors", String.valueOf(directLoad.errors), String.valueOf(chainLoad.errors), ""});
        }
    }

    private void largeList() throws Exception {
        double directSeconds = timeList(direct);
        // after the small GETs, so the growth is what the LIST adds to a warmed-up process
        Map<String, Long> before = peakRss();
        double chainSeconds = timeList(proxied);
        Map<String, Long> after = peakRss();
        rows.add(row("100 MB LIST s", directSeconds, chainSeconds, "%.2f"));
        after.forEach((app, peak) -> rows.add(new String[] {
            app + " peak RSS growth MiB", "", String.format(Locale.ROOT, "%d (%d -> %d)", peak - before.get(app), before.get(app), peak), ""}));
    }

    /**
     * A watch whose client never reads, with thousands of events queued behind it, shares the
     * tunnel with the 100 MB LIST: the LIST must not wait for it.
     */
    private void fairness() throws Exception {
        double alone = timeList(proxied);
        SSLContext tls = LargeListInBoundedMemoryTest.trusting(chain.localCaPem);
        try (SSLSocket stalled = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", chain.proxyPort)) {
            int watchesBefore = apiserver.openWatchCount();
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /clusters/" + chain.cluster + "/api/v1/namespaces/default/configmaps?watch=true HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + chain.localToken + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> apiserver.openWatchCount() > watchesBefore);
            for (int i = 0; i < STALLED_EVENTS; i++) {
                try {
                    apiserver.store().emitConfigMaps("default", 1);
                } catch (dev.clusterconnect.sandbox.store.ApiException nameTaken) {
                    // generateName's short random suffix collides now and then; one event fewer is fine
                }
            }
            double withStalled = timeList(proxied);
            rows.add(row("LIST alone vs beside stalled watch s", alone, withStalled, "%.2f"));
        }
    }

    private static double timeList(Target target) throws Exception {
        HttpClient client = target.client(1);
        long started = System.nanoTime();
        HttpResponse<InputStream> response = client.send(target.request(LIST_PATH).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
            }
        }
        if (response.statusCode() != 200 || total < LIST_BYTES) {
            throw new IllegalStateException("LIST answered " + response.statusCode() + " with " + total + " bytes");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private Map<String, Long> peakRss() throws IOException {
        Map<String, Long> peaks = new java.util.LinkedHashMap<>();
        for (var entry : chain.byName.entrySet()) {
            peaks.put(entry.getKey(), SeparateProcesses.peakRssMiB(entry.getValue()));
        }
        return peaks;
    }

    private static String[] row(String name, double direct, double chained, String format) {
        return new String[] {name, String.format(Locale.ROOT, format, direct), String.format(Locale.ROOT, format, chained),
            direct == 0 ? "" : String.format(Locale.ROOT, "%.2f", chained / direct)};
    }

    private void print(int seconds) {
        System.out.printf("%nclusterconnect chain vs direct (%d cores, small GETs %d s each, apps -Xmx128m in their own JVMs;"
                + " sandbox and load generator share one JVM)%n", Runtime.getRuntime().availableProcessors(), seconds);
        String format = "| %-38s | %14s | %20s | %11s |%n";
        System.out.printf(format, "measure", "direct", "chain", "chain/direct");
        System.out.printf(format, "-".repeat(38), "-".repeat(14), "-".repeat(20), "-".repeat(11));
        for (String[] row : rows) {
            System.out.printf(format, (Object[]) row);
        }
    }

    /** Where requests go and how they authenticate. */
    private record Target(String base, String token, SSLContext tls) {

        /** A client whose pool grows to {@code concurrency} keep-alive connections (one per worker). */
        HttpClient client(int concurrency) {
            return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(Math.max(2, concurrency))).build();
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30));
        }
    }

    /** Closed-loop load: each worker sends its next GET as soon as the previous one answered. */
    private static final class Load {
        private final long[] latencies;
        private final int count;
        private final long errors;
        private final double seconds;

        private Load(long[] latencies, int count, long errors, double seconds) {
            this.latencies = latencies;
            this.count = count;
            this.errors = errors;
            this.seconds = seconds;
        }

        static Load run(Target target, int concurrency, Duration length) throws Exception {
            HttpClient client = target.client(concurrency);
            HttpRequest request = target.request(SMALL_PATH).build();
            ExecutorService workers = Executors.newFixedThreadPool(concurrency);
            long started = System.nanoTime();
            long deadline = started + length.toNanos();
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                results.add(workers.submit(() -> worker(client, request, deadline)));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> result : results) {
                all.add(result.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            workers.shutdown();
            int count = 0;
            long errors = 0;
            for (long[] one : all) {
                count += (int) one[0];
                errors += one[1];
            }
            long[] latencies = new long[count];
            int at = 0;
            for (long[] one : all) {
                System.arraycopy(one, 2, latencies, at, (int) one[0]);
                at += (int) one[0];
            }
            Arrays.sort(latencies);
            return new Load(latencies, count, errors, seconds);
        }

        /** Returns {count, errors, latency...} in nanoseconds. */
        private static long[] worker(HttpClient client, HttpRequest request, long deadline) {
            long[] found = new long[1 << 16];
            int count = 0;
            long errors = 0;
            while (System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        errors++;
                        continue;
                    }
                } catch (IOException e) {
                    errors++;
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (count + 2 == found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[2 + count++] = System.nanoTime() - sent;
            }
            found[0] = count;
            found[1] = errors;
            return found;
        }

        double perSecond() {
            return count / seconds;
        }

        double percentileMillis(int percentile) {
            if (count == 0) {
                return Double.NaN;
            }
            return latencies[Math.min(count - 1, (int) Math.ceil(percentile / 100.0 * count) - 1)] / 1e6;
        }
    }
}
