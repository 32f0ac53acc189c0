package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.tls.CertificateAuthority;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay of {@link AgentFleetBenchmark} as its own JVM from its runnable jar (as
 * {@link SeparateProcesses} launches it), over a store in which a fleet of clusters was enrolled
 * before it started, with the heap limit and heartbeat timers under test.
 */
final class FleetRelay implements AutoCloseable {

    final Path dir;
    final Process process;
    final int port;
    final long enrollMillis;
    private final Issuer issuer;

    private FleetRelay(Path dir, Process process, int port, long enrollMillis, Issuer issuer) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.enrollMillis = enrollMillis;
        this.issuer = issuer;
    }

    /**
     * @param agents clusters to enrol, one key each ({@link #keysFile()} holds their private keys)
     * @param heap the relay's -Xmx, e.g. {@code 1g}
     */
    static FleetRelay start(int agents, String heap, Duration heartbeatInterval, Duration heartbeatTimeout)
            throws Exception {
        Path dir = Files.createTempDirectory("cc-fleet-");
        CertificateAuthority ca = CertificateAuthority.create("fleet CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        long enrollMillis = FleetEnrollment.enroll(dir.resolve("relay-db"), agents, dir.resolve("agent-keys.tsv"));
        // The relay refuses to start without a trusted issuer for its clients, although no client calls here.
        Issuer issuer = new Issuer(dir);
        Map<String, String> properties = new HashMap<>(issuer.relayProperties());
        properties.put("relay.tunnel.heartbeat-interval-ms", String.valueOf(heartbeatInterval.toMillis()));
        properties.put("relay.tunnel.heartbeat-timeout-ms", String.valueOf(heartbeatTimeout.toMillis()));
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(dir.resolve("relay.properties"), text);
        int port = freePort();
        Process process = launch(dir, heap, port);
        // A benchmark interrupted with ^C must not leave a relay holding 10,000 sockets behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        FleetRelay relay = new FleetRelay(dir, process, port, enrollMillis, issuer);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
        return relay;
    }

    private static Process launch(Path dir, String heap, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                SeparateProcesses.jar("relay-app").toString());
        builder.environment()
                .putAll(Map.of(
                        "RELAY_LISTEN_HOST",
                        "127.0.0.1",
                        "RELAY_LISTEN_PORT",
                        String.valueOf(port),
                        "RELAY_HEALTH_PORT",
                        "0",
                        "RELAY_TLS_CERT_FILE",
                        dir.resolve("relay.crt").toString(),
                        "RELAY_TLS_KEY_FILE",
                        dir.resolve("relay.key").toString(),
                        "RELAY_DB_DIR",
                        dir.resolve("relay-db").toString(),
                        "RELAY_AUDIT_FILE",
                        dir.resolve("relay-audit.log").toString(),
                        "CLUSTERCONNECT_CONFIG",
                        dir.resolve("relay.properties").toString()));
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve("relay-app.log").toFile());
        return builder.start();
    }

    String agentUrl() {
        return "wss://127.0.0.1:" + port + "/agent/v1/connect";
    }

    Path caFile() {
        return dir.resolve("ca.crt");
    }

    Path keysFile() {
        return dir.resolve("agent-keys.tsv");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        issuer.close();
    }
}
