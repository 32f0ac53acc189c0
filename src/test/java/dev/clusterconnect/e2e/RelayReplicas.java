package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigFile;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.http.RequestIds;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.main.Main;

/**
 * The scene of the multi-replica tests: N relay replicas (separate JVMs from relay-app's runnable
 * jar, so each can be killed) on one PostgreSQL database behind HAProxy; K clusters whose agents
 * run in this JVM against one sandbox apiserver and dial HAProxy; the proxy, also pointed at
 * HAProxy, with one kubeconfig context per cluster. Every port is chosen once, at start, so a
 * killed or stopped replica comes back where HAProxy and its peers look for it.
 */
final class RelayReplicas implements AutoCloseable {

    /** Short timings, so a fault test takes seconds: HAProxy checks readiness every 300 ms. */
    static final Duration UNREADY_DELAY = Duration.ofSeconds(1);

    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);
    static final Duration LEASE_TTL = Duration.ofSeconds(5);
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(5);
    /** Each relay JVM's -Xmx: ample for a test's few tunnels, small enough for several replicas on a CI machine. */
    static final String HEAP = "256m";

    final Path dir;
    /** Whether the replicas link up as peers (the relay.peer.* keys) or run as today's relay, each on its own. */
    final boolean peers;
    /** The load balancer's port: where the agents and the proxy connect. */
    final int port;
    /** One kubeconfig, a context per cluster: {@link #context(int)}. */
    final Path kubeconfig;
    /** The clusters' ids at the relay, in the order of their names c00, c01, ... */
    final List<String> clusterIds = new ArrayList<>();
    /** Cluster {@code c}'s agent, a Camel Main in this JVM. */
    final List<Main> agents = new ArrayList<>();
    // Set once each while the scene starts; close() stops whichever were.
    PostgresDatabase database;
    HaProxy haproxy;
    SandboxApiServer apiserver;
    Issuer issuer;
    private java.util.function.UnaryOperator<dev.clusterconnect.sandbox.SandboxConfig.Builder> sandbox =
            builder -> builder;
    /** Environment of every relay process on top of the scene's own (RELAY_* keys a test sets). */
    private final Map<String, String> relayOverrides = new HashMap<>();

    private Main proxy;
    private final int[] listenPorts;
    private final int[] peerPorts;
    private final int[] healthPorts;
    private final Process[] relays;
    /** Every relay process started, earlier incarnations included: none may outlive close(). */
    private final List<ProcessHandle> started = new ArrayList<>();

    private final HttpClient health =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private HttpClient client;
    private String localToken;
    private int proxyPort;

    private RelayReplicas(Path dir, int replicas, boolean peers) throws IOException {
        this.dir = dir;
        this.peers = peers;
        int[] ports = freePorts(3 * replicas + 1);
        listenPorts = Arrays.copyOfRange(ports, 0, replicas);
        peerPorts = Arrays.copyOfRange(ports, replicas, 2 * replicas);
        healthPorts = Arrays.copyOfRange(ports, 2 * replicas, 3 * replicas);
        port = ports[3 * replicas];
        kubeconfig = dir.resolve("kubeconfig");
        relays = new Process[replicas];
    }

    /**
     * Starts the scene and returns once every agent's tunnel is up and, when any replica can serve
     * any cluster (peers, or a single replica), every cluster answers through the proxy.
     *
     * @param peers true: the replicas link up (relay.peer.*, relay.instance.id, the unready delay);
     *              false: today's relay, each replica serving only the agents it holds
     */
    static RelayReplicas start(int replicas, int clusters, boolean peers) throws Exception {
        return start(replicas, clusters, peers, sandbox -> sandbox);
    }

    /** As {@link #start(int, int, boolean)}, with more in the sandbox apiserver (a bulk namespace). */
    static RelayReplicas start(
            int replicas,
            int clusters,
            boolean peers,
            java.util.function.UnaryOperator<dev.clusterconnect.sandbox.SandboxConfig.Builder> sandbox)
            throws Exception {
        return start(replicas, clusters, peers, sandbox, Map.of());
    }

    /** As {@link #start(int, int, boolean)}, each relay process with {@code relayEnvironment} on top of the scene's. */
    static RelayReplicas start(int replicas, int clusters, boolean peers, Map<String, String> relayEnvironment)
            throws Exception {
        return start(replicas, clusters, peers, sandbox -> sandbox, relayEnvironment);
    }

    private static RelayReplicas start(
            int replicas,
            int clusters,
            boolean peers,
            java.util.function.UnaryOperator<dev.clusterconnect.sandbox.SandboxConfig.Builder> sandbox,
            Map<String, String> relayEnvironment)
            throws Exception {
        RelayReplicas scene = new RelayReplicas(Files.createTempDirectory("cc-replicas-"), replicas, peers);
        scene.sandbox = sandbox;
        scene.relayOverrides.putAll(relayEnvironment);
        try {
            scene.build(clusters);
        } catch (Exception | Error e) {
            try {
                scene.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return scene;
    }

    private void build(int clusters) throws Exception {
        issuer = new Issuer(dir);
        writeCertificates();
        database = PostgresDatabase.create("relay_replicas");
        // Opening the store migrates the schema, so the replicas start on a ready one.
        registerClusters(clusters);
        writeProperties(dir.resolve("relay.properties"), issuer.relayProperties());
        for (int i = 0; i < relays.length; i++) {
            start(i);
        }
        List<HaProxy.Backend> backends = new ArrayList<>();
        for (int i = 0; i < relays.length; i++) {
            awaitReady(i);
            backends.add(new HaProxy.Backend(listenPorts[i], healthPorts[i]));
        }
        haproxy = HaProxy.start(dir, port, backends);
        for (int i = 0; i < relays.length; i++) {
            haproxy.awaitUp(i, Duration.ofSeconds(10));
        }
        startAgents();
        startProxy();
        awaitAgentsConnected(Duration.ofSeconds(60));
        if (peers || relays.length == 1) {
            // without peers a request answers only on the replica that holds the tunnel, wherever HAProxy sends it
            awaitAllClustersAnswer(Duration.ofSeconds(60));
        }
    }

    /** One relay certificate for all replicas (clients see one service); one peer certificate each, from a CA of their own. */
    private void writeCertificates() throws IOException {
        CertificateAuthority ca = CertificateAuthority.create("replicas relay CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("relay-ca.crt"), ca.certificatePem());
        CertificateAuthority peerCa = CertificateAuthority.create("replicas peer CA", Duration.ofDays(1));
        Files.writeString(dir.resolve("peer-ca.crt"), peerCa.certificatePem());
        for (int i = 0; i < relays.length; i++) {
            peerCa.issuePeer(instanceId(i), List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                    .write(dir.resolve("peer-" + i + ".crt"), dir.resolve("peer-" + i + ".key"));
        }
    }

    /** As the control plane would: straight into the shared store, each with a bootstrap token for its agent. */
    private void registerClusters(int count) throws IOException {
        try (RelayDatabase store = RelayDatabase.open(database.url(), PostgresDatabase.USER, null)) {
            for (int c = 0; c < count; c++) {
                String id = store.clusters().register(Chain.OWNER, name(c)).id();
                clusterIds.add(id);
                Files.writeString(
                        dir.resolve("bootstrap-" + name(c)),
                        store.bootstrapTokens().issue(id, Duration.ofHours(1)).token());
            }
        }
    }

    /** The same every time replica {@code i} starts: its ports, files and identity do not change. */
    private Map<String, String> relayEnvironment(int i) {
        Map<String, String> env = new HashMap<>();
        // Issuer blocks are key sets, which only a properties file can introduce (not the environment).
        env.put("CLUSTERCONNECT_CONFIG", dir.resolve("relay.properties").toString());
        env.put("RELAY_LISTEN_HOST", "127.0.0.1");
        env.put("RELAY_LISTEN_PORT", String.valueOf(listenPorts[i]));
        env.put("RELAY_TLS_CERT_FILE", dir.resolve("relay.crt").toString());
        env.put("RELAY_TLS_KEY_FILE", dir.resolve("relay.key").toString());
        env.put("RELAY_TLS_CA_FILE", dir.resolve("relay-ca.crt").toString());
        // what the API puts in kubeconfigs and agent URLs: the load balancer, not this replica
        env.put("RELAY_PUBLIC_URL", "https://127.0.0.1:" + port);
        env.put("RELAY_DB_URL", database.url());
        env.put("RELAY_DB_USERNAME", PostgresDatabase.USER);
        env.put("RELAY_AUDIT_FILE", dir.resolve("relay-" + i + "-audit.log").toString());
        env.put("RELAY_HEALTH_HOST", "127.0.0.1");
        env.put("RELAY_HEALTH_PORT", String.valueOf(healthPorts[i]));
        env.put("RELAY_SHUTDOWN_DRAIN_TIMEOUT", DRAIN_TIMEOUT.toSeconds() + "s");
        env.put("RELAY_TUNNEL_HEARTBEAT_INTERVAL_MS", "1000");
        env.put("RELAY_TUNNEL_HEARTBEAT_TIMEOUT_MS", "5000");
        if (peers) {
            env.put("RELAY_INSTANCE_ID", instanceId(i));
            env.put("RELAY_PEER_ENABLED", "true");
            env.put("RELAY_PEER_LISTEN_HOST", "127.0.0.1");
            env.put("RELAY_PEER_LISTEN_PORT", String.valueOf(peerPorts[i]));
            env.put("RELAY_PEER_ADVERTISE_HOST", "127.0.0.1");
            env.put(
                    "RELAY_PEER_TLS_CERT_FILE",
                    dir.resolve("peer-" + i + ".crt").toString());
            env.put("RELAY_PEER_TLS_KEY_FILE", dir.resolve("peer-" + i + ".key").toString());
            env.put("RELAY_PEER_TLS_CA_FILE", dir.resolve("peer-ca.crt").toString());
            env.put("RELAY_PEER_LEASE_TTL", LEASE_TTL.toSeconds() + "s");
            env.put("RELAY_TUNNEL_RECONNECT_WAIT", RECONNECT_WAIT.toSeconds() + "s");
            // longer than HAProxy's check interval (300 ms, fall 1): no new connection reaches a draining replica
            env.put("RELAY_SHUTDOWN_UNREADY_DELAY", UNREADY_DELAY.toSeconds() + "s");
        }
        env.putAll(relayOverrides);
        return env;
    }

    /** Starts replica {@code i} (again) on its ports; its log is appended to. Does not wait: see {@link #awaitReady}. */
    void start(int i) throws IOException {
        if (relays[i] != null && relays[i].isAlive()) {
            throw new IllegalStateException(instanceId(i) + " is running");
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-jar",
                SeparateProcesses.jar("relay-app").toString());
        builder.environment().putAll(relayEnvironment(i));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(i).toFile()));
        relays[i] = builder.start();
        started.add(relays[i].toHandle());
    }

    /** kill -9 ({@code destroyForcibly} is SIGKILL on Linux): no drain, no GOAWAY. @return the exit code, 137 */
    int kill(int i) throws InterruptedException {
        relays[i].destroyForcibly();
        return exitCode(i, 10, "SIGKILL");
    }

    /** SIGTERM, then waits while it drains and exits. @return the exit code, 143 */
    int stop(int i) throws InterruptedException {
        relays[i].destroy();
        return exitCode(i, 30, "SIGTERM");
    }

    private int exitCode(int i, int seconds, String signal) throws InterruptedException {
        if (!relays[i].waitFor(seconds, TimeUnit.SECONDS)) {
            relays[i].destroyForcibly();
            throw new AssertionError(instanceId(i) + " still ran " + seconds + " s after " + signal + "; killed");
        }
        return relays[i].exitValue();
    }

    boolean isRunning(int i) {
        return relays[i] != null && relays[i].isAlive();
    }

    /** Until replica {@code i}'s readiness probe answers 200; fails at once, with its log, if it exited. */
    void awaitReady(int i) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!relays[i].isAlive()) {
                        throw new AssertionError(
                                instanceId(i) + " exited with " + relays[i].exitValue() + ":\n" + log(i));
                    }
                    return readiness(i) == 200;
                });
    }

    /** The status of replica {@code i}'s readiness probe; -1 when nothing answers. */
    int readiness(int i) throws InterruptedException {
        return statusOf(
                health,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPorts[i] + "/healthz/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build());
    }

    /** Restarts the PostgreSQL server under all replicas and waits until it accepts connections again. */
    void restartPostgres() throws IOException, InterruptedException {
        PostgresDatabase.restartServer(Duration.ofSeconds(60));
    }

    private void startAgents() throws IOException {
        apiserver = sandbox.apply(SandboxApiServer.builder()
                        .token("agent-secret-token", Chain.AGENT_USER)
                        .impersonator(Chain.AGENT_USER)
                        .demoPods(true))
                .build()
                .start();
        KubeconfigEntry sandbox = KubeconfigEntry.named(
                "sandbox",
                URI.create(apiserver.url()),
                apiserver.caCertificatePem(),
                new BearerTokenCredential("agent-secret-token"));
        Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render(sandbox));
        for (int c = 0; c < clusterIds.size(); c++) {
            Main agent = Chain.agent(dir, port, clusterIds.get(c), issuer);
            agent.addOverrideProperty(
                    "agent.key.file",
                    dir.resolve("agent-" + name(c) + "-key.json").toString());
            agent.addOverrideProperty(
                    "agent.relay.bootstrap-token-file",
                    dir.resolve("bootstrap-" + name(c)).toString());
            agents.add(agent); // before start: close() stops one that failed half-way
            agent.start();
        }
    }

    /** One proxy serves every cluster (by path); one kubeconfig holds a context for each. */
    private void startProxy() throws Exception {
        Files.writeString(dir.resolve("user-token"), issuer.token(Chain.OWNER));
        proxy = ProxyApplication.create();
        proxy.addOverrideProperty("proxy.listen.port", "0");
        proxy.addOverrideProperty("proxy.relay.url", "https://127.0.0.1:" + port);
        proxy.addOverrideProperty(
                "proxy.relay.ca-file", dir.resolve("relay-ca.crt").toString());
        proxy.addOverrideProperty("proxy.token-file", dir.resolve("user-token").toString());
        proxy.addOverrideProperty("proxy.state-dir", dir.resolve("proxy-state").toString());
        proxy.start();
        proxyPort = Chain.boundPort(proxy, "proxy-local");
        String caPem = proxy.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
        localToken = proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
        KubeconfigFile file = new KubeconfigFile(kubeconfig);
        for (int c = 0; c < clusterIds.size(); c++) {
            file.merge(
                    KubeconfigEntry.forCluster(
                            name(c), URI.create(server(c)), caPem, new BearerTokenCredential(localToken)),
                    c == 0);
        }
        client = HttpClient.newBuilder()
                .sslContext(LargeListInBoundedMemoryTest.trusting(caPem))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Until every agent's readiness holds (its tunnel is up, its apiserver answers), whichever replica it reached. */
    void awaitAgentsConnected(Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> agents.stream()
                        .allMatch(agent -> agent.getCamelContext()
                                .getRegistry()
                                .lookupByNameAndType("readiness", BooleanSupplier.class)
                                .getAsBoolean()));
    }

    /** Until every cluster's {@code /version} answers 200 through proxy, HAProxy, a replica and its agent. */
    void awaitAllClustersAnswer(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<String> silent = new ArrayList<>();
            for (int c = 0; c < clusterIds.size(); c++) {
                int status = status(c, "/version");
                if (status != 200) {
                    silent.add(name(c) + ": " + status);
                }
            }
            if (!silent.isEmpty()) {
                throw new AssertionError("not answering yet " + silent);
            }
        });
    }

    /** The status of a GET through the proxy to cluster {@code c}; -1 when the proxy cannot be reached. */
    int status(int c, String path) throws InterruptedException {
        return status(c, path, RequestIds.generate());
    }

    /** As {@link #status(int, String)}, with the request id every hop logs it under. */
    int status(int c, String path, String requestId) throws InterruptedException {
        return statusOf(
                client,
                HttpRequest.newBuilder(URI.create(server(c) + path))
                        .header("Authorization", "Bearer " + localToken)
                        .header(RequestIds.HEADER, requestId)
                        .timeout(Duration.ofSeconds(15))
                        .build());
    }

    /** A refused or cut connection is an answer too in a fault test: -1. */
    private static int statusOf(HttpClient client, HttpRequest request) throws InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException unreachable) {
            return -1;
        }
    }

    /** kubectl with the context of cluster {@code c}. */
    Kubectl.Result kubectl(int c, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--context=" + context(c)));
        command.addAll(List.of(args));
        return kubectl().run(command.toArray(String[]::new));
    }

    /** kubectl on the kubeconfig of every cluster (current context: the first); pass --context for another. */
    Kubectl kubectl() {
        return new Kubectl(Kubectl.DEFAULT, kubeconfig);
    }

    String context(int c) {
        return KubeconfigEntry.NAME_PREFIX + name(c);
    }

    private String server(int c) {
        return "https://127.0.0.1:" + proxyPort + "/clusters/" + clusterIds.get(c);
    }

    /** Cluster names: c00, c01, ... */
    static String name(int c) {
        return "c%02d".formatted(c);
    }

    static String instanceId(int i) {
        return "relay-" + i;
    }

    int replicas() {
        return relays.length;
    }

    int listenPort(int i) {
        return listenPorts[i];
    }

    /** Every child process started (each incarnation of each replica, HAProxy): to check none outlives close(). */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>(started);
        if (haproxy != null) {
            all.add(haproxy.process.toHandle());
        }
        return all;
    }

    /** Every incarnation of replica {@code i}, one after the other. */
    String log(int i) throws IOException {
        return Files.readString(logFile(i));
    }

    private Path logFile(int i) {
        return dir.resolve(instanceId(i) + ".log");
    }

    /** Stops everything, clients first so nothing reconnects to what is going away, and checks nothing is left. */
    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        Stream.concat(Stream.of(proxy), agents.stream())
                .filter(Objects::nonNull)
                .forEach(app -> attempt(failures, app::stop));
        // SIGTERM to all at once: each drains for about UNREADY_DELAY, in parallel rather than in turn
        started.forEach(ProcessHandle::destroy);
        started.forEach(process -> attempt(failures, () -> awaitExit(process)));
        Stream.<AutoCloseable>of(haproxy, apiserver, issuer, database)
                .filter(Objects::nonNull)
                .forEach(resource -> attempt(failures, resource::close));
        // the in-process apps' I/O threads are gone once they stopped
        attempt(
                failures,
                () -> await().atMost(Duration.ofSeconds(10))
                        .until(() -> Thread.getAllStackTraces().keySet().stream()
                                .noneMatch(t -> t.isAlive()
                                        && t.getName().matches("(tunnel|kubeserver|kubeclient)-(io|accept).*"))));
        if (!failures.isEmpty()) {
            failures.subList(1, failures.size()).forEach(failures.get(0)::addSuppressed);
            throw failures.get(0);
        }
    }

    private static void awaitExit(ProcessHandle process) throws Exception {
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("pid " + process.pid() + " ignored SIGTERM for 30 s; killed");
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** One failing step of close() must not leave the later ones' processes running. */
    private static void attempt(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        }
    }

    private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((key, value) ->
                text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        Files.writeString(file, text);
    }

    /** Held open together while chosen, so no two of them are the same port. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
