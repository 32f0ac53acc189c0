package dev.clusterconnect.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The load side of {@link ExecBenchmark}, run in a JVM of its own so that it shares neither a JIT
 * nor a heap with the apps or the sandbox. Speaks the WebSocket remotecommand protocol
 * {@code v5.channel.k8s.io} with the JDK's WebSocket client, in one of two modes:
 *
 * <ul>
 *   <li>{@code echo}: one exec of {@code cat}; send one byte on stdin, wait for it on stdout, repeat;
 *   <li>{@code true}: complete execs of {@code true}, each on a new connection (TLS, upgrade,
 *       process start, final status), as {@code kubectl exec pod -- true} does.
 * </ul>
 *
 * <p>Arguments: {@code echo|true <wss URL of the pod> <CA PEM file> <unmeasured runs> <measured runs>};
 * the bearer token comes in the environment variable {@code EXEC_BENCH_TOKEN} (kept off the command
 * line, where {@code ps} shows it). Prints {@code MEASURING} and {@code MEASURED} around the measured
 * runs, then {@code RESULT <count> <p50> <p90> <p99> <max>} in nanoseconds.
 */
public final class ExecEchoClient {

    private static final String SUBPROTOCOL = "v5.channel.k8s.io";
    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte ERROR = 3;
    private static final byte CLOSE = (byte) 255;
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String MEASURING = "MEASURING";
    static final String MEASURED = "MEASURED";

    private final HttpClient client;
    private final String podUrl;
    private final String token;

    private ExecEchoClient(SSLContext tls, String podUrl, String token) {
        this.client =
                HttpClient.newBuilder().sslContext(tls).connectTimeout(WAIT).build();
        this.podUrl = podUrl;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        SSLContext tls = LargeListInBoundedMemoryTest.trusting(Files.readString(Path.of(args[2])));
        ExecEchoClient bench = new ExecEchoClient(tls, args[1], System.getenv("EXEC_BENCH_TOKEN"));
        int unmeasured = Integer.parseInt(args[3]);
        int measured = Integer.parseInt(args[4]);
        long[] nanos = args[0].equals("echo")
                ? bench.echoRoundTrips(unmeasured, measured)
                : bench.execsOfTrue(unmeasured, measured);
        Arrays.sort(nanos);
        System.out.printf(
                "RESULT %d %d %d %d %d%n",
                nanos.length,
                percentile(nanos, 50),
                percentile(nanos, 90),
                percentile(nanos, 99),
                nanos[nanos.length - 1]);
        // the HttpClient's selector thread is not a daemon
        System.exit(0);
    }

    /** Runs {@code warmUp} unmeasured, then {@code count} measured one-byte round trips on one exec of cat. */
    private long[] echoRoundTrips(int warmUp, int count) throws Exception {
        Channels channels = new Channels();
        WebSocket socket = open("command=cat&stdin=true&stdout=true&stderr=true", channels);
        for (int i = 0; i < warmUp; i++) {
            roundTrip(socket, channels, i);
        }
        long[] latencies = new long[count];
        mark(MEASURING);
        for (int i = 0; i < count; i++) {
            latencies[i] = roundTrip(socket, channels, i);
        }
        mark(MEASURED);
        // v5: closing stdin ends cat, whose status then arrives on the error channel
        socket.sendBinary(ByteBuffer.wrap(new byte[] {CLOSE, STDIN}), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        channels.awaitStatus();
        socket.abort();
        return latencies;
    }

    private static long roundTrip(WebSocket socket, Channels channels, int i) throws Exception {
        byte sent = (byte) ('a' + i % 26);
        long started = System.nanoTime();
        socket.sendBinary(ByteBuffer.wrap(new byte[] {STDIN, sent}), true);
        byte echoed = channels.awaitStdoutByte();
        long elapsed = System.nanoTime() - started;
        if (echoed != sent) {
            throw new IllegalStateException("sent " + sent + " but cat echoed " + echoed);
        }
        return elapsed;
    }

    /**
     * Times whole execs of {@code true}. The unmeasured ones matter: the first TLS handshakes of a
     * fresh client JVM take it hundreds of milliseconds.
     */
    private long[] execsOfTrue(int warmUp, int count) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            execOfTrue();
        }
        long[] elapsed = new long[count];
        mark(MEASURING);
        for (int i = 0; i < count; i++) {
            elapsed[i] = execOfTrue();
        }
        mark(MEASURED);
        return elapsed;
    }

    /** Nanoseconds from the upgrade request of {@code exec -- true} to its final status. */
    private long execOfTrue() throws Exception {
        long started = System.nanoTime();
        Channels channels = new Channels();
        WebSocket socket = open("command=true&stdout=true&stderr=true", channels);
        channels.awaitStatus();
        long elapsed = System.nanoTime() - started;
        socket.abort();
        return elapsed;
    }

    /** Tells the parent, which reads our output as it comes, when to take its CPU readings. */
    private static void mark(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private WebSocket open(String query, Channels channels) throws Exception {
        return client.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .subprotocols(SUBPROTOCOL)
                .connectTimeout(WAIT)
                .buildAsync(URI.create(podUrl + "/exec?" + query), channels)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    /**
     * Splits the binary messages by remotecommand channel: stdout bytes go to a queue the measuring
     * thread waits on; the error channel's message (the exec's final status) completes a future.
     */
    private static final class Channels implements WebSocket.Listener {
        private final BlockingQueue<Byte> stdout = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> status = new CompletableFuture<>();
        private ByteBuffer message = ByteBuffer.allocate(64 * 1024);

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            if (message.remaining() < data.remaining()) {
                message = ByteBuffer.allocate(message.capacity() * 2 + data.remaining())
                        .put(message.flip());
            }
            message.put(data);
            if (last) {
                onMessage(message.flip());
                message.clear();
            }
            socket.request(1);
            return null;
        }

        private void onMessage(ByteBuffer whole) {
            if (!whole.hasRemaining()) {
                return;
            }
            byte channel = whole.get();
            if (channel == STDOUT) {
                while (whole.hasRemaining()) {
                    stdout.add(whole.get());
                }
            } else if (channel == ERROR) {
                byte[] text = new byte[whole.remaining()];
                whole.get(text);
                status.complete(new String(text, StandardCharsets.UTF_8));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            status.complete("closed " + code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            status.completeExceptionally(error);
        }

        byte awaitStdoutByte() throws InterruptedException {
            Byte next = stdout.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (next == null) {
                throw new IllegalStateException(
                        "no echo within " + WAIT + (status.isDone() ? ": " + status.join() : ""));
            }
            return next;
        }

        void awaitStatus() throws Exception {
            String text = status.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!text.contains("Success")) {
                throw new IllegalStateException("the exec did not succeed: " + text);
            }
        }
    }
}
