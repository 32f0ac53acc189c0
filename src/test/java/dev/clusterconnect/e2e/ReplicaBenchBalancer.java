package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HAProxy node in front of the replicas for the benchmarks: {@link HaProxy}'s configuration
 * (TCP, TLS passed through, readiness checked every 300 ms, {@code fall 1}), with room for a fleet.
 * The tests' 4,096 connections would hold back a move of thousands of agents at the balancer. A
 * proxied connection takes two file descriptors and this machine allows a process 20,000 (a hard
 * limit not even root may raise here), so one node holds at most {@link #MAX_CONNECTIONS}; a
 * bigger fleet is spread over several nodes, as a cloud load balancer's are.
 */
final class ReplicaBenchBalancer implements AutoCloseable {

    static final int MAX_CONNECTIONS = 9_000;

    final int port;
    private final int statsPort;
    private final Process process;
    private final HttpClient stats = HttpClient.newHttpClient();

    private ReplicaBenchBalancer(int port, int statsPort, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
    }

    /** Starts node {@code name}: its configuration and log are {@code haproxy-<name>.*} in {@code dir}. */
    static ReplicaBenchBalancer start(Path dir, ReplicaBenchRelays relays, String name) throws IOException {
        String binary = HaProxy.binaryOrInstall();
        int port = Chain.freePort();
        int statsPort = Chain.freePort();
        List<HaProxy.Backend> backends = java.util.stream.IntStream.range(0, relays.count())
                .mapToObj(i -> new HaProxy.Backend(relays.port(i), relays.healthPort(i)))
                .toList();
        String config = HaProxy.config(port, statsPort, backends);
        if (!config.contains("maxconn 4096")) {
            throw new IllegalStateException("HaProxy.config changed: no 'maxconn 4096' to raise");
        }
        Path file = dir.resolve("haproxy-" + name + ".cfg");
        Path log = dir.resolve("haproxy-" + name + ".log");
        Files.writeString(
                file,
                config.replace("maxconn 4096", "maxconn " + MAX_CONNECTIONS)
                        // one log line per connection would be 10,000 lines a move
                        .replace("    option tcplog\n", "    option dontlog-normal\n    option tcplog\n"));
        Process process = new ProcessBuilder(binary, "-f", file.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        ReplicaBenchBalancer balancer = new ReplicaBenchBalancer(port, statsPort, process);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("HAProxy exited:\n" + Files.readString(log));
                    }
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
        for (int i = 0; i < relays.count(); i++) {
            int server = i;
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> state(balancer.csv(), server).startsWith("UP"));
        }
        return balancer;
    }

    String agentUrl() {
        return "wss://127.0.0.1:" + port + "/agent/v1/connect";
    }

    /** Whether HAProxy sends new connections to replica {@code i}. */
    boolean isUp(int i) throws IOException, InterruptedException {
        return state(csv(), i).startsWith("UP");
    }

    private String csv() throws IOException, InterruptedException {
        return stats.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Server r{@code i}'s status: field 17 of its CSV line, as {@link HaProxy#serverStates} reads it. */
    private static String state(String csv, int i) {
        for (String line : csv.split("\n")) {
            String[] fields = line.split(",", -1);
            if (fields.length > 17 && fields[0].equals("relays") && fields[1].equals("r" + i)) {
                return fields[17];
            }
        }
        return "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
