package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.relay.AgentTokens;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.SubjectKind;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;

/**
 * The scene of the chaos tests: relay and agent as separate JVMs (each can be killed with SIGKILL
 * and started again on the same ports, files and store), the proxy in this JVM, the sandbox
 * apiserver in this JVM, and a {@link TcpForwarder} on each of the agent's two paths, to the
 * relay and to the apiserver, that a test switches into faults. Heartbeat, head deadline and
 * reconnect backoff are short, through the apps' own configuration keys, so a fault plays out in
 * seconds.
 */
final class ChaosChain implements AutoCloseable {

    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    /** The agent's wait for the apiserver's response head (agent.apiserver.response-head-timeout, 70 s by default). */
    static final Duration APISERVER_HEAD_TIMEOUT = Duration.ofSeconds(3);
    /** The agent's longest wait between reconnect attempts (agent.tunnel.reconnect-backoff-max-ms, 30 s by default). */
    static final Duration RECONNECT_BACKOFF_MAX = Duration.ofSeconds(1);

    static final long BULK_BYTES = 100L * 1024 * 1024;
    /** kubectl's own --request-timeout in the chaos tests: a kubectl still running after it hangs. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    static final String REQUEST_TIMEOUT_FLAG = "--request-timeout=" + REQUEST_TIMEOUT.toSeconds() + "s";
    /** Requests succeed again within 5 s of a fault clearing; asserted with twice that, for a loaded 2-core CI machine. */
    static final Duration RECOVERY = Duration.ofSeconds(5);

    static final Duration RECOVERY_BOUND = RECOVERY.multipliedBy(2);
    /** A dead peer is noticed within the heartbeat timeout and one interval; asserted with 2 s more, for the same machine. */
    static final Duration DETECTION = HEARTBEAT_TIMEOUT.plus(HEARTBEAT_INTERVAL);

    static final Duration DETECTION_BOUND = DETECTION.plusSeconds(2);
    /** How often each scenario runs in a row: 1 in mvn verify, more from bin/chaos (-Dchaos.rounds=N). */
    static final int ROUNDS = Integer.getInteger("chaos.rounds", 1);

    static final String RELAY = "relay-app";
    static final String AGENT = "agent-app";
    private static final String HEAP = "192m";

    final Path dir;
    final String cluster;
    final SandboxApiServer apiserver;
    /** The agent's path to the relay. */
    final TcpForwarder relayPath;
    /** The agent's path to the apiserver. */
    final TcpForwarder apiserverPath;

    final int relayPort;
    private final Issuer issuer;
    private final Map<String, Map<String, String>> environments = new HashMap<>();
    private final Map<String, Process> processes = new HashMap<>();
    private final Map<String, Integer> healthPorts = new HashMap<>();
    private final HttpClient plain =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The store, as the relay's API serves it and as its database file holds it. */
    ChaosStore store;

    private HttpClient client;
    private Main proxy;
    private int proxyPort;
    private String localToken;

    private ChaosChain(Path dir, String cluster, SandboxApiServer apiserver, Issuer issuer, int relayPort)
            throws IOException {
        this.dir = dir;
        this.cluster = cluster;
        this.apiserver = apiserver;
        this.issuer = issuer;
        this.relayPort = relayPort;
        this.relayPath = TcpForwarder.start("127.0.0.1", relayPort);
        this.apiserverPath = TcpForwarder.start("127.0.0.1", apiserver.port());
    }

    static ChaosChain start() throws Exception {
        Path dir = Files.createTempDirectory("cc-chaos-");
        SandboxApiServer apiserver = SandboxApiServer.builder()
                .token("agent-secret-token", Chain.AGENT_USER)
                .impersonator(Chain.AGENT_USER)
                .demoPods(true)
                .bulkConfigMaps("bulk", BULK_BYTES)
                .build()
                .start();
        Issuer issuer = new Issuer(dir);
        String cluster;
        try (RelayDatabase database = RelayDatabase.openEmbedded(dir.resolve("relay-db"))) {
            cluster = database.clusters().register(Chain.OWNER, "chaos").id();
            database.grants().grant(cluster, SubjectKind.USER, "bob", Chain.OWNER);
        }
        ChaosChain chain = new ChaosChain(dir, cluster, apiserver, issuer, Chain.freePort());
        try {
            chain.build();
        } catch (Exception | Error e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    private void build() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("chaos CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        String agentToken = "agent-" + HexFormat.of().toHexDigits(System.nanoTime());
        Files.writeString(dir.resolve("agent.token"), agentToken);
        Files.writeString(dir.resolve("user.token"), issuer.token(Chain.OWNER));
        store = new ChaosStore(dir, cluster, relayPort, ca.certificatePem());
        Map<String, String> relayProperties = new HashMap<>(issuer.relayProperties());
        relayProperties.put("relay.agent-clusters", cluster);
        relayProperties.put("relay.agent-tokens." + cluster, HexFormat.of().formatHex(AgentTokens.sha256(agentToken)));
        writeProperties(dir.resolve("relay.properties"), relayProperties);
        writeProperties(dir.resolve("agent.properties"), issuer.agentProperties());
        KubeconfigEntry sandbox = KubeconfigEntry.named(
                "sandbox",
                URI.create("https://127.0.0.1:" + apiserverPath.port()),
                apiserver.caCertificatePem(),
                new BearerTokenCredential("agent-secret-token"));
        Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render(sandbox));
        healthPorts.put(RELAY, Chain.freePort());
        healthPorts.put(AGENT, Chain.freePort());
        environments.put(
                RELAY,
                Map.ofEntries(
                        Map.entry(
                                "CLUSTERCONNECT_CONFIG",
                                dir.resolve("relay.properties").toString()),
                        Map.entry("RELAY_LISTEN_HOST", "127.0.0.1"),
                        Map.entry("RELAY_LISTEN_PORT", String.valueOf(relayPort)),
                        Map.entry(
                                "RELAY_TLS_CERT_FILE", dir.resolve("relay.crt").toString()),
                        Map.entry("RELAY_TLS_KEY_FILE", dir.resolve("relay.key").toString()),
                        Map.entry("RELAY_DB_DIR", dir.resolve("relay-db").toString()),
                        Map.entry(
                                "RELAY_AUDIT_FILE",
                                dir.resolve("relay-audit.log").toString()),
                        Map.entry("RELAY_HEALTH_HOST", "127.0.0.1"),
                        Map.entry("RELAY_HEALTH_PORT", String.valueOf(healthPorts.get(RELAY))),
                        Map.entry("RELAY_TUNNEL_HEARTBEAT_INTERVAL_MS", String.valueOf(HEARTBEAT_INTERVAL.toMillis())),
                        Map.entry("RELAY_TUNNEL_HEARTBEAT_TIMEOUT_MS", String.valueOf(HEARTBEAT_TIMEOUT.toMillis())),
                        Map.entry("RELAY_SHUTDOWN_DRAIN_TIMEOUT", "2s")));
        environments.put(
                AGENT,
                Map.ofEntries(
                        Map.entry(
                                "CLUSTERCONNECT_CONFIG",
                                dir.resolve("agent.properties").toString()),
                        Map.entry("AGENT_RELAY_URL", "wss://127.0.0.1:" + relayPath.port() + "/agent/v1/connect"),
                        Map.entry("AGENT_CLUSTER_ID", cluster),
                        Map.entry("AGENT_RELAY_CA_FILE", dir.resolve("ca.crt").toString()),
                        Map.entry(
                                "AGENT_RELAY_TOKEN_FILE",
                                dir.resolve("agent.token").toString()),
                        Map.entry(
                                "AGENT_APISERVER_KUBECONFIG",
                                dir.resolve("apiserver.kubeconfig").toString()),
                        Map.entry("AGENT_APISERVER_RESPONSE_HEAD_TIMEOUT", APISERVER_HEAD_TIMEOUT.toMillis() + "ms"),
                        Map.entry("AGENT_HEALTH_PORT", String.valueOf(healthPorts.get(AGENT))),
                        Map.entry("AGENT_TUNNEL_HEARTBEAT_INTERVAL_MS", String.valueOf(HEARTBEAT_INTERVAL.toMillis())),
                        Map.entry("AGENT_TUNNEL_HEARTBEAT_TIMEOUT_MS", String.valueOf(HEARTBEAT_TIMEOUT.toMillis())),
                        Map.entry(
                                "AGENT_TUNNEL_RECONNECT_BACKOFF_MAX_MS",
                                String.valueOf(RECONNECT_BACKOFF_MAX.toMillis())),
                        Map.entry("HTTPS_PROXY", ""),
                        Map.entry("https_proxy", "")));
        start(RELAY);
        awaitReady(RELAY, Duration.ofSeconds(90));
        start(AGENT);
        startProxy();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status("/version") == 200);
    }

    /** One proxy in this JVM, pointed straight at the relay (the agent's path is the one under test). */
    private void startProxy() throws Exception {
        proxy = ProxyApplication.create();
        proxy.addOverrideProperty("proxy.listen.port", "0");
        proxy.addOverrideProperty("proxy.relay.url", "https://127.0.0.1:" + relayPort);
        proxy.addOverrideProperty("proxy.relay.ca-file", dir.resolve("ca.crt").toString());
        proxy.addOverrideProperty("proxy.token-file", dir.resolve("user.token").toString());
        proxy.addOverrideProperty("proxy.state-dir", dir.resolve("proxy-state").toString());
        proxy.start();
        proxyPort = Chain.boundPort(proxy, "proxy-local");
        String caPem = proxy.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
        localToken = proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
        new KubeconfigFile(kubeconfig())
                .merge(
                        KubeconfigEntry.forCluster(
                                "chaos",
                                URI.create("https://127.0.0.1:" + proxyPort + "/clusters/" + cluster),
                                caPem,
                                new BearerTokenCredential(localToken)),
                        true);
        client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(caPem))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    Kubectl kubectl() {
        return new Kubectl(Kubectl.DEFAULT, kubeconfig());
    }

    /**
     * Until {@code watch} (a kubectl get configmaps --watch) has its WATCH open, not just its
     * initial LIST answered: a config map created after the first one's line was printed can only
     * come as a watch event. {@code creator} makes them: through the chain, or straight at the sandbox.
     */
    static void awaitWatching(Kubectl.Running watch, Kubectl creator, String name) throws Exception {
        for (String each : List.of(name + "-a", name + "-b")) {
            creator.run("create", "configmap", each, "--from-literal=k=v").ok();
            watch.awaitLine(each, Duration.ofSeconds(15));
        }
    }

    /** Starts {@code module} (again) with its environment; its log is appended to. Does not wait. */
    void start(String module) throws IOException {
        Process running = processes.get(module);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(module + " is running");
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: a restart is part of every kill scenario, and starts sooner so
                "-Xmx" + HEAP,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                SeparateProcesses.jar(module).toString());
        builder.environment().putAll(environments.get(module));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(module + ".log").toFile()));
        processes.put(module, builder.start());
    }

    /** kill -9: no drain, no GOAWAY, no close_notify; the kernel closes its sockets. */
    void kill(String module) throws InterruptedException {
        Process process = processes.get(module);
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(module + " survived SIGKILL for 10 s");
        }
    }

    boolean isRunning(String module) {
        Process process = processes.get(module);
        return process != null && process.isAlive();
    }

    /** Until {@code module}'s readiness probe answers 200 (the agent: its tunnel is up and its apiserver answers). */
    void awaitReady(String module, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!isRunning(module)) {
                throw new AssertionError(module + " exited:\n" + log(module));
            }
            return readiness(module) == 200;
        });
    }

    /** The status of {@code module}'s readiness probe; -1 when nothing answers. */
    int readiness(String module) throws InterruptedException {
        return statusOf(
                plain,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPorts.get(module) + "/healthz/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build());
    }

    /** A GET through proxy, relay and agent; -1 when no answer came (refused, cut, or 5 s passed). */
    int status(String path) throws InterruptedException {
        return statusOf(
                client,
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + proxyPort + "/clusters/" + cluster + path))
                        .header("Authorization", "Bearer " + localToken)
                        .timeout(Duration.ofSeconds(5))
                        .build());
    }

    private static int statusOf(HttpClient client, HttpRequest request) throws InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException unreachable) {
            return -1;
        }
    }

    /** How long a restarted process took to be ready, and requests to succeed after that. */
    record Recovery(long startMillis, long answeringMillis) {}

    /** Starts {@code module} again and measures: launch to ready, ready to the first 200 through the chain. */
    Recovery restart(String module) throws Exception {
        long launched = System.nanoTime();
        start(module);
        awaitReady(module, Duration.ofSeconds(90));
        long ready = System.nanoTime();
        long answering = awaitAnswering();
        return new Recovery((ready - launched) / 1_000_000, (answering - ready) / 1_000_000);
    }

    /** Polls {@code /version} through the chain until it answers 200. @return the nanoTime it did */
    long awaitAnswering() throws InterruptedException, IOException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            if (status("/version") == 200) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "no answer through the chain for 60 s; agent log:\n" + tail(AGENT) + "\nrelay log:\n" + tail(RELAY));
    }

    /** Both paths back to PASS, every process running and the chain answering: after a test, failed or not. */
    void heal() throws Exception {
        relayPath.mode(TcpForwarder.Mode.PASS);
        apiserverPath.mode(TcpForwarder.Mode.PASS);
        for (String module : List.of(RELAY, AGENT)) {
            if (!isRunning(module)) {
                start(module);
                awaitReady(module, Duration.ofSeconds(90));
            }
        }
        awaitAnswering();
    }

    /** One round of a scenario. */
    interface Round {
        void run(int round) throws Exception;
    }

    /** Runs {@code scenario} {@link #ROUNDS} times, healing the chain between rounds. */
    void rounds(Round scenario) throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            if (round > 1) {
                heal();
            }
            scenario.run(round);
        }
    }

    private String tail(String module) throws IOException {
        String log = log(module);
        return log.substring(Math.max(0, log.length() - 4000));
    }

    String log(String module) throws IOException {
        Path file = dir.resolve(module + ".log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
    }

    /** Stops the proxy, then the agent, then the relay (SIGTERM), then what runs in this JVM. */
    @Override
    public void close() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        for (String module : List.of(AGENT, RELAY)) {
            Process process = processes.get(module);
            if (process != null) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
        relayPath.close();
        apiserverPath.close();
        apiserver.close();
        issuer.close();
    }
}
