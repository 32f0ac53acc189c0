package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.relay.AgentTokens;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Relay, agent and proxy as separate JVMs from their runnable jars, each with its own heap limit,
 * in front of a sandbox apiserver in this JVM: for the tests whose point is what each process
 * holds in memory.
 */
final class SeparateProcesses implements AutoCloseable {

    static final String VERSION = "0.1.0-SNAPSHOT";

    final Path dir;
    final int proxyPort;
    final String localToken;
    final String localCaPem;
    /** The relay's id of the cluster behind the agent. */
    String cluster;
    /** The relay's HTTPS port: clients in direct mode call {@code https://127.0.0.1:<port>/clusters/<cluster>}. */
    int relayPort;

    private Issuer issuer;
    private final List<Process> processes = new ArrayList<>();
    final Map<String, Process> byName = new java.util.LinkedHashMap<>();
    /** Each app's health port, where {@code /metrics} answers, by module name. */
    final Map<String, Integer> healthPorts = new java.util.LinkedHashMap<>();

    private final Map<String, Map<String, String>> extraEnv = new java.util.HashMap<>();

    private SeparateProcesses(Path dir, int proxyPort, String localToken, String localCaPem) {
        this.dir = dir;
        this.proxyPort = proxyPort;
        this.localToken = localToken;
        this.localCaPem = localCaPem;
    }

    static Path jar(String module) {
        Path jar = Path.of("..", module, "target", module + "-" + VERSION + "-runnable.jar")
                .toAbsolutePath()
                .normalize();
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through the package phase (mvn verify)");
        }
        return jar;
    }

    static SeparateProcesses start(SandboxApiServer apiserver, String heap) throws Exception {
        return start(apiserver, heap, cluster -> Map.of());
    }

    /**
     * @param extraEnv given the id of the chain's cluster, more environment for some of the apps,
     *     by module name ({@code relay-app}, {@code agent-app}, {@code proxy-app}); it wins over
     *     the defaults
     */
    static SeparateProcesses start(
            SandboxApiServer apiserver,
            String heap,
            java.util.function.Function<String, Map<String, Map<String, String>>> extraEnv)
            throws Exception {
        Path dir = Files.createTempDirectory("cc-procs-");
        CertificateAuthority ca = CertificateAuthority.create("procs CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        String agentToken = "agent-" + HexFormat.of().toHexDigits(System.nanoTime());
        Files.writeString(dir.resolve("agent.token"), agentToken);
        // The relay admits only identities it can authorise: the user is alice, owner of the cluster.
        Issuer issuer = new Issuer(dir);
        Files.writeString(dir.resolve("user.token"), issuer.token(Chain.OWNER));
        String cluster;
        try (RelayDatabase database = RelayDatabase.openEmbedded(dir.resolve("relay-db"))) {
            cluster = database.clusters().register(Chain.OWNER, "big").id();
        }
        // Issuer blocks are key sets, which only a properties file can introduce (not the environment).
        Map<String, String> relayProperties = new java.util.HashMap<>(issuer.relayProperties());
        relayProperties.put("relay.agent-clusters", cluster);
        relayProperties.put("relay.agent-tokens." + cluster, HexFormat.of().formatHex(AgentTokens.sha256(agentToken)));
        writeProperties(dir.resolve("relay.properties"), relayProperties);
        writeProperties(dir.resolve("agent.properties"), issuer.agentProperties());
        KubeconfigEntry sandbox = KubeconfigEntry.named(
                "sandbox",
                URI.create(apiserver.url()),
                apiserver.caCertificatePem(),
                new BearerTokenCredential("agent-secret-token"));
        Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render(sandbox));
        int relayPort = freePort();
        int proxyPort = freePort();
        SeparateProcesses procs = new SeparateProcesses(dir, proxyPort, null, null);
        procs.issuer = issuer;
        procs.cluster = cluster;
        procs.extraEnv.putAll(extraEnv.apply(cluster));
        procs.launch(
                "relay-app",
                heap,
                Map.of(
                        "RELAY_LISTEN_HOST",
                        "127.0.0.1",
                        "RELAY_LISTEN_PORT",
                        String.valueOf(relayPort),
                        "RELAY_TLS_CERT_FILE",
                        dir.resolve("relay.crt").toString(),
                        "RELAY_TLS_KEY_FILE",
                        dir.resolve("relay.key").toString(),
                        "RELAY_DB_DIR",
                        dir.resolve("relay-db").toString(),
                        "RELAY_AUDIT_FILE",
                        dir.resolve("relay-audit.log").toString(),
                        // the watch benchmark opens 10,000 watches as one user
                        "RELAY_TUNNEL_MAX_STREAMS_PER_USER",
                        "0",
                        "CLUSTERCONNECT_CONFIG",
                        dir.resolve("relay.properties").toString()));
        awaitPort(relayPort);
        procs.launch("agent-app", heap, agentEnv(dir, relayPort, cluster));
        procs.launch(
                "proxy-app",
                heap,
                Map.of(
                        "PROXY_LISTEN_PORT",
                        String.valueOf(proxyPort),
                        "PROXY_RELAY_URL",
                        "https://127.0.0.1:" + relayPort,
                        "PROXY_RELAY_CA_FILE",
                        dir.resolve("ca.crt").toString(),
                        "PROXY_TOKEN_FILE",
                        dir.resolve("user.token").toString(),
                        "PROXY_STATE_DIR",
                        dir.resolve("proxy").toString(),
                        "PROXY_CLUSTER",
                        cluster,
                        // a free port for the cluster: the one after the proxy's may be taken here
                        "PROXY_CLUSTER_PORTS",
                        cluster + "=0",
                        "PROXY_KUBECONFIG_FILE",
                        dir.resolve("kubeconfig").toString()));
        awaitPort(proxyPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("kubeconfig")));
        String token = Files.readString(dir.resolve("proxy/local-token")).trim();
        String caPem = Files.readString(dir.resolve("proxy/local-ca.crt"));
        SeparateProcesses ready = new SeparateProcesses(dir, proxyPort, token, caPem);
        ready.cluster = cluster;
        ready.relayPort = relayPort;
        ready.issuer = issuer;
        ready.processes.addAll(procs.processes);
        ready.byName.putAll(procs.byName);
        ready.healthPorts.putAll(procs.healthPorts);
        ready.awaitTunnel();
        return ready;
    }

    /** Until the agent's tunnel is up: the relay answers 503 for a cluster whose agent it does not hold yet. */
    private void awaitTunnel() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(localCaPem))
                .build();
        java.net.http.HttpRequest probe = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + proxyPort + "/clusters/" + cluster + "/version"))
                .header("Authorization", "Bearer " + localToken)
                .timeout(Duration.ofSeconds(10))
                .build();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> client.send(probe, java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        != 503);
    }

    /** The environment of an agent for {@code cluster} behind the relay on {@code relayPort}, files in {@code dir}. */
    private static Map<String, String> agentEnv(Path dir, int relayPort, String cluster) {
        return Map.of(
                "AGENT_RELAY_URL", "wss://127.0.0.1:" + relayPort + "/agent/v1/connect",
                "AGENT_CLUSTER_ID", cluster,
                "AGENT_RELAY_CA_FILE", dir.resolve("ca.crt").toString(),
                "AGENT_RELAY_TOKEN_FILE", dir.resolve("agent.token").toString(),
                "AGENT_APISERVER_KUBECONFIG",
                        dir.resolve("apiserver.kubeconfig").toString(),
                "CLUSTERCONNECT_CONFIG", dir.resolve("agent.properties").toString());
    }

    /**
     * Starts one more agent for this chain's cluster, configured as the chain's own, with
     * {@code extra} environment on top; its output goes to {@code <name>.log} in {@link #dir}.
     */
    Process launchAgent(String name, Map<String, String> extra) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                jar("agent-app").toString());
        builder.environment().putAll(agentEnv(dir, relayPort, cluster));
        builder.environment().put("AGENT_HEALTH_PORT", "0");
        builder.environment().putAll(extra);
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void launch(String module, String heap, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                jar(module).toString());
        builder.environment()
                .put("CLUSTERCONNECT_CONFIG", dir.resolve("none.properties").toString());
        // free ports for the health endpoints: relay and agent both default to 8081
        int healthPort = freePort();
        for (String app : List.of("RELAY", "AGENT", "PROXY")) {
            builder.environment()
                    .put(
                            app + "_HEALTH_PORT",
                            module.toUpperCase(java.util.Locale.ROOT).startsWith(app)
                                    ? String.valueOf(healthPort)
                                    : "0");
        }
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv.getOrDefault(module, Map.of()));
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve(module + ".log").toFile());
        Process process = builder.start();
        processes.add(process);
        byName.put(module, process);
        healthPorts.put(module, healthPort);
    }

    private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
    }

    /** The peak resident memory of a process so far, in MiB (from /proc). */
    static long peakRssMiB(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    String log(String module) throws IOException {
        return Files.readString(dir.resolve(module + ".log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (issuer != null) {
            issuer.close();
        }
    }
}
