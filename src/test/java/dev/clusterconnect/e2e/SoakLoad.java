package dev.clusterconnect.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The soak's mixed load through the proxy, each kind on its own thread at its own pace: small GETs
 * at a high rate, LISTs (now and then a large one), watches opened and closed (by the client, or by
 * the server's timeout), and the real kubectl's exec and port-forward sessions at a modest rate
 * (each is a process start). Every request checks its answer, not only its status, and counts as
 * done or failed in {@link SoakCounts}.
 */
final class SoakLoad implements AutoCloseable {

    static final String SMALL_PATH = "/api/v1/namespaces/default/configmaps/x";
    static final String LIST_PATH = "/api/v1/namespaces/default/configmaps";
    static final String LARGE_LIST_PATH = "/api/v1/namespaces/bulk/configmaps";
    /** The last chunk of a chunked body, after the previous chunk's CRLF. */
    private static final String WATCH_END = "\r\n0\r\n\r\n";

    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)");
    /** Generous: a request this late on a loaded 2-core machine is a failure worth seeing, not noise. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** How much of each kind: GETs per second, pauses between the others, the large LIST's size. */
    record Rates(
            int getsPerSecond,
            Duration listEvery,
            Duration largeListEvery,
            long largeListBytes,
            int watchers,
            Duration execEvery,
            Duration portForwardEvery) {}

    private final SeparateProcesses chain;
    private final Rates rates;
    private final SoakCounts counts;
    private final HttpClient http;
    private final SSLContext tls;
    private final Kubectl kubectl;
    private final String base;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong names = new AtomicLong();

    SoakLoad(SeparateProcesses chain, Rates rates, SoakCounts counts) throws Exception {
        this.chain = chain;
        this.rates = rates;
        this.counts = counts;
        this.tls = LargeListInBoundedMemoryTest.trusting(chain.localCaPem);
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        this.kubectl = new Kubectl(Kubectl.DEFAULT, chain.dir.resolve("kubeconfig"));
        this.base = "https://127.0.0.1:" + chain.proxyPort + "/clusters/" + chain.cluster;
    }

    /** Creates the object the GETs read and starts every kind's threads. */
    void start() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(LIST_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(configMap("x"))));
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IllegalStateException(
                    "could not create configmap x: " + created.statusCode() + " " + created.body());
        }
        int getThreads = Math.max(1, Math.min(4, rates.getsPerSecond() / 50));
        for (int i = 0; i < getThreads; i++) {
            loop(
                    "soak-get-" + i,
                    "get",
                    Duration.ofNanos(1_000_000_000L * getThreads / rates.getsPerSecond()),
                    this::smallGet);
        }
        loop("soak-list", "list", rates.listEvery(), this::list);
        loop("soak-large-list", "large-list", rates.largeListEvery(), this::largeList);
        for (int i = 0; i < rates.watchers(); i++) {
            loop("soak-watch-" + i, "watch", Duration.ofMillis(500), this::watch);
        }
        loop("soak-exec", "exec", rates.execEvery(), this::exec);
        loop("soak-port-forward", "port-forward", rates.portForwardEvery(), this::portForward);
    }

    /** Runs {@code step} every {@code every} (or back to back when one step takes longer) until closed. */
    private void loop(String name, String kind, Duration every, Step step) {
        Thread thread = new Thread(
                () -> {
                    long next = System.nanoTime();
                    try {
                        while (stopping.getCount() > 0) {
                            try {
                                step.run();
                                counts.done(kind);
                            } catch (Exception | AssertionError e) {
                                if (stopping.getCount() > 0) {
                                    counts.failed(kind, e);
                                }
                            }
                            next = Math.max(next + every.toNanos(), System.nanoTime() - every.toNanos());
                            stopping.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    private void smallGet() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri(SMALL_PATH)).GET());
        expect(response, 200, "\"name\":\"x\"");
    }

    private void list() throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri(LIST_PATH)).GET());
        expect(response, 200, "\"kind\":\"ConfigMapList\"");
    }

    /** Reads the large LIST to its end and counts the bytes: a truncated body is a failure. */
    private void largeList() throws Exception {
        HttpResponse<InputStream> response = http.send(
                authorized(HttpRequest.newBuilder(uri(LARGE_LIST_PATH)).GET()),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                bytes += n;
            }
        }
        if (response.statusCode() != 200 || bytes < rates.largeListBytes()) {
            throw new IllegalStateException(
                    "large LIST answered " + response.statusCode() + " with " + bytes + " bytes");
        }
    }

    /**
     * A watch that sees a config map of its own, then goes: every other one creates it after the
     * watch is open and leaves once its ADDED event arrived, closing the socket (the client walks
     * away); the rest create it first, ask for {@code timeoutSeconds=1}, find it among the initial
     * events and read until the apiserver ends the response. (Created after a short timeout, the
     * object could miss the watch on a slow machine; among the initial events it cannot.) The
     * config map is deleted afterwards so the namespace stays small.
     */
    private void watch() throws Exception {
        long n = names.incrementAndGet();
        String name = "w-" + n;
        boolean serverEnds = n % 2 == 0;
        try {
            if (serverEnds) {
                create(name);
            }
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", chain.proxyPort)) {
                socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("GET /clusters/" + chain.cluster + LIST_PATH + "?watch=true"
                                + (serverEnds ? "&timeoutSeconds=1" : "")
                                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + chain.localToken
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                String head = readUntil(in, received, "\r\n\r\n");
                if (!head.startsWith("HTTP/1.1 200")) {
                    throw new IllegalStateException(
                            "watch answered " + head.lines().findFirst().orElse(head));
                }
                if (!serverEnds) {
                    create(name);
                }
                readUntil(in, received, "\"name\":\"" + name + "\"", WATCH_END);
                if (serverEnds) {
                    readUntil(in, received, WATCH_END);
                }
            }
        } finally {
            send(HttpRequest.newBuilder(uri(LIST_PATH + "/" + name)).DELETE());
        }
    }

    private void create(String name) throws IOException, InterruptedException {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(LIST_PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(configMap(name))));
        expect(created, 201, "\"name\":\"" + name + "\"");
    }

    /** Reads into {@code seen} until it holds {@code text}; an end of stream first is a failure. */
    private static String readUntil(InputStream in, ByteArrayOutputStream seen, String text) throws IOException {
        return readUntil(in, seen, text, null);
    }

    /**
     * As above; {@code end} (the chunked body's last chunk) arriving first is a failure too: the
     * connection stays open for the next request, so no end of stream would ever come.
     */
    private static String readUntil(InputStream in, ByteArrayOutputStream seen, String text, String end)
            throws IOException {
        byte[] buffer = new byte[8192];
        while (!seen.toString(StandardCharsets.ISO_8859_1).contains(text)) {
            if (end != null && seen.toString(StandardCharsets.ISO_8859_1).contains(end)) {
                throw new IOException("the response ended before " + text + " arrived; had " + seen.size() + " bytes");
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("stream ended before " + text + " arrived; had " + seen.size() + " bytes");
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    /** Alternates a one-shot command and stdin piped through cat (the remote process's stdin and stdout). */
    private void exec() throws Exception {
        long n = names.incrementAndGet();
        if (n % 2 == 0) {
            String out = kubectl.run("exec", "demo-0", "--", "echo", "soak", String.valueOf(n))
                    .ok()
                    .out();
            if (!out.equals("soak " + n + "\n")) {
                throw new IllegalStateException("exec echoed '" + out + "'");
            }
        } else {
            byte[] input = ("soak stdin " + n + "\n").repeat(500).getBytes(StandardCharsets.UTF_8);
            String out =
                    kubectl.run(input, "exec", "-i", "demo-0", "--", "cat").ok().out();
            if (!out.equals(new String(input, StandardCharsets.UTF_8))) {
                throw new IllegalStateException(
                        "exec -i cat returned " + out.length() + " of " + input.length + " bytes");
            }
        }
    }

    /** One kubectl port-forward session carrying two connections, each one line echoed by the pod. */
    private void portForward() throws Exception {
        try (Kubectl.Running forward = kubectl.start("port-forward", "pod/demo-0", ":8080")) {
            Matcher matcher = FORWARDING.matcher(forward.awaitLine("Forwarding from 127.0.0.1", REQUEST_TIMEOUT));
            if (!matcher.find()) {
                throw new IllegalStateException("port-forward printed no port");
            }
            int port = Integer.parseInt(matcher.group(1));
            for (int i = 0; i < 2; i++) {
                String line = "soak " + names.incrementAndGet();
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
                    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    String echoed = new String(
                            readUntil(socket.getInputStream(), new ByteArrayOutputStream(), "\n")
                                    .getBytes(StandardCharsets.ISO_8859_1),
                            StandardCharsets.UTF_8);
                    if (!echoed.equals(line + "\n")) {
                        throw new IllegalStateException("port-forward echoed '" + echoed + "' for '" + line + "'");
                    }
                }
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(authorized(request), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + chain.localToken)
                .timeout(REQUEST_TIMEOUT)
                .build();
    }

    private static void expect(HttpResponse<String> response, int status, String text) {
        if (response.statusCode() != status || !response.body().contains(text)) {
            String body = response.body();
            throw new IllegalStateException("answered " + response.statusCode() + ": "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"k\":\"v\"}}";
    }

    /** Stops every kind and waits for the steps under way (each ends within its request timeout). */
    @Override
    public void close() throws InterruptedException {
        stopping.countDown();
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.toMillis() + 30_000);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
