package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's HAProxy as an ordinary TCP load balancer in front of relay replicas, run as a child
 * process (not the system service) on a free 127.0.0.1 port. TLS passes through to the relays, so
 * clients and agents see the relays' own certificate, as behind a cloud network load balancer.
 */
final class HaProxy implements AutoCloseable {

    /** A relay replica: the port it serves on, and the plain-HTTP port of its readiness probe. */
    record Backend(int port, int healthPort) {}

    private static final HttpClient STATS_CLIENT = HttpClient.newHttpClient();

    final Path dir;
    /** Where clients and agents connect. */
    final int port;
    /** The statistics page, {@code http://127.0.0.1:<statsPort>/stats}. */
    final int statsPort;

    final Process process;

    private HaProxy(Path dir, int port, int statsPort, Process process) {
        this.dir = dir;
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
    }

    /** Writes the configuration into {@code dir}, starts HAProxy and waits until it listens. */
    static HaProxy start(Path dir, int port, List<Backend> backends) throws IOException, InterruptedException {
        String binary = binaryOrInstall();
        int statsPort = Chain.freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, config(port, statsPort, backends));
        // -db: stay in the foreground, so the process is ours to stop and never outlives the test
        Process process = new ProcessBuilder(binary, "-f", config.toString(), "-db")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        HaProxy haproxy = new HaProxy(dir, port, statsPort, process);
        try {
            haproxy.awaitListening(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            haproxy.close();
            throw new IllegalStateException("HAProxy did not start:\n" + haproxy.log(), e);
        }
        return haproxy;
    }

    /**
     * Long client, server and tunnel timeouts: watches and agent tunnels stay open for hours and
     * a short one would cut them in the middle of a test. The readiness check every 300 ms with
     * {@code fall 1} takes a draining replica out within one interval; {@code rise 2} puts a
     * restarted one back only once it answered twice. {@code redispatch} with {@code retries}
     * sends a connection that cannot reach its server to another one.
     */
    static String config(int port, int statsPort, List<Backend> backends) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.size(); i++) {
            servers.append("    server r%d 127.0.0.1:%d check port %d inter 300 fall 1 rise 2%n"
                    .formatted(i, backends.get(i).port(), backends.get(i).healthPort()));
        }
        return """
                global
                    log stderr format raw local0 info
                    maxconn 4096

                defaults
                    mode tcp
                    log global
                    option tcplog
                    option redispatch
                    retries 3
                    timeout connect 1s
                    timeout client 1h
                    timeout server 1h
                    timeout tunnel 1h
                    timeout check 1s

                frontend relay
                    bind 127.0.0.1:%d
                    default_backend relays

                backend relays
                    balance roundrobin
                    option httpchk GET /healthz/ready
                %s
                listen stats
                    mode http
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                    stats refresh 1s
                """.formatted(port, servers, statsPort);
    }

    void awaitListening(Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("HAProxy exited with " + process.exitValue());
                    }
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
    }

    /** Each server's state as its health checks see it: {@code r0 -> UP}, {@code r1 -> DOWN}. */
    Map<String, String> serverStates() throws IOException, InterruptedException {
        Map<String, String> states = new LinkedHashMap<>();
        for (String line : stats().split("\n")) {
            String[] fields = line.split(",", -1);
            // CSV: pxname, svname, ... status is field 17
            if (fields.length > 17 && fields[0].equals("relays") && fields[1].matches("r\\d+")) {
                states.put(fields[1], fields[17]);
            }
        }
        return states;
    }

    /** Until HAProxy sends new connections to replica {@code index} (its checks passed {@code rise} times). */
    void awaitUp(int index, Duration timeout) {
        awaitState(index, "UP", timeout);
    }

    /** Until HAProxy took replica {@code index} out of the rotation. */
    void awaitDown(int index, Duration timeout) {
        awaitState(index, "DOWN", timeout);
    }

    private void awaitState(int index, String state, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> serverStates().getOrDefault("r" + index, "").startsWith(state));
    }

    /** The statistics as CSV (one line per frontend, backend and server), for assertions and debugging. */
    String stats() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return STATS_CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** HAProxy's output: start-up warnings, one line per connection, every server state change. */
    String log() throws IOException {
        return Files.readString(dir.resolve("haproxy.log"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code haproxy} on the PATH, or in the sbin directories a non-root PATH often lacks. */
    /** The haproxy binary, installed from Debian's packages first when it is missing. */
    static String binaryOrInstall() {
        return binary().orElseGet(HaProxy::install);
    }

    static Optional<String> binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
                + "/sbin";
        return Stream.of(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "haproxy"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    /** Installs Debian's package, as the corporate-proxy test does tinyproxy (the machine runs as root). */
    private static String install() {
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            "sh",
                            "-c",
                            "apt-get install -y -q haproxy || (apt-get update -q && apt-get install -y -q haproxy)")
                    .redirectErrorStream(true);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process install = builder.start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            install.waitFor(300, TimeUnit.SECONDS);
            return binary().orElseThrow(() -> new IllegalStateException(
                    "haproxy is needed (apt-get install haproxy, as root); installing it failed:\n" + output));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run apt-get to install haproxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing haproxy", e);
        }
    }
}
