package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.agent.AgentApplication;
import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import dev.clusterconnect.relay.RelayApplication;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.SubjectKind;
import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * The whole product on this machine: a sandbox apiserver, the relay, an agent dialling it, and
 * the proxy, each a real Camel Main application in this JVM, plus a kubeconfig for kubectl that
 * points at the proxy. Everything listens on free ports.
 */
final class Chain implements AutoCloseable {

    static final String CLUSTER_NAME = "e2e";
    /** The e2e user, owner of the cluster. */
    static final String OWNER = "alice";

    /** The domain of the clusters' host names when the relay has one (relay.cluster-domain). */
    static final String CLUSTER_DOMAIN = "clusters.e2e.test";

    static final String AGENT_USER = "clusterconnect-agent";

    final Path dir;
    final SandboxApiServer apiserver;
    final String clusterId;
    final int relayPort;
    Main relay;
    final Main agent;
    final Main proxy;
    /** With {@link #startForwarded}: the replica that holds the agent's tunnel, and the shared database. */
    Main holder;

    private PostgresDatabase database;
    final Path kubeconfig;
    final Issuer issuer;
    /** On a real cluster: the namespace, bindings and pods made for this chain; {@code null} with the sandbox. */
    final RealCluster cluster;
    /** {@code relay.oidc.*} settings of issuers trusted beside {@link #issuer} ({@link #startTrusting}). */
    private java.util.Map<String, String> relayTrust = java.util.Map.of();

    private Chain(
            Path dir,
            SandboxApiServer apiserver,
            String clusterId,
            int relayPort,
            Main relay,
            Main agent,
            Main proxy,
            Path kubeconfig,
            Issuer issuer,
            RealCluster cluster) {
        this.issuer = issuer;
        this.cluster = cluster;
        this.clusterId = clusterId;
        this.relayPort = relayPort;
        this.dir = dir;
        this.apiserver = apiserver;
        this.relay = relay;
        this.agent = agent;
        this.proxy = proxy;
        this.kubeconfig = kubeconfig;
    }

    /** A kubeconfig of a real cluster whose identity may impersonate: the agent then uses it. */
    static final String REAL_CLUSTER = System.getenv("CC_E2E_KUBECONFIG");

    /** True when the chain ends at the sandbox (whose recorder and pods the tests can use). */
    boolean hasSandbox() {
        return apiserver != null;
    }

    /** The namespace kubectl uses by default through this chain: {@code default}, or the chain's own on a real cluster. */
    String namespace() {
        return cluster == null ? "default" : cluster.namespace;
    }

    /** Running pod {@code index} (0 or 1); on a real cluster started on first use, the scenario skipped when none runs. */
    String pod(int index) throws Exception {
        return (cluster == null ? sandboxPods : cluster.pods()).name(index);
    }

    private final TestPods sandboxPods = TestPods.sandbox();

    /**
     * Lets a user or group the relay admits ({@code kind} {@code User} or {@code Group}) act in the
     * chain's namespace on a real cluster, whose RBAC otherwise refuses it; the sandbox allows all.
     */
    void allowOnCluster(String kind, String name) throws Exception {
        if (cluster != null) {
            cluster.allow(kind, name);
        }
    }

    /** The apiserver's version, as the agent reports it. */
    String kubernetesVersion() throws Exception {
        return cluster == null
                ? dev.clusterconnect.sandbox.rest.Discovery.version()
                        .path("gitVersion")
                        .asText()
                : cluster.serverVersion();
    }

    /** Marks a test class whose scenarios run through two relay replicas ({@link #startForwarded}). */
    interface ThroughTwoReplicas {}

    /** The chain for a test class: through two replicas when it is {@link ThroughTwoReplicas}. */
    static Chain startFor(org.junit.jupiter.api.TestInfo test, String user, String... groups) throws Exception {
        boolean forwarded = test.getTestClass()
                .map(ThroughTwoReplicas.class::isAssignableFrom)
                .orElse(false);
        return start(forwarded, user, groups);
    }

    /** The chain, with the proxy presenting a token of {@code user} in {@code groups}. */
    static Chain start(String user, String... groups) throws Exception {
        return start(false, user, groups);
    }

    /**
     * The chain through two relay replicas on PostgreSQL: the agent's tunnel ends at one (the
     * holder), the proxy talks to the other (the entry), which forwards every request over its peer
     * link. {@link #relay} and {@link #relayPort} are the entry's; {@link #agents()} the holder's.
     */
    static Chain startForwarded(String user, String... groups) throws Exception {
        return start(true, user, groups);
    }

    /**
     * The chain as {@link #start(String, String...)}, with the relay and the agent trusting one more
     * issuer: {@code agentOidc} holds its {@code agent.oidc.*} settings, which the relay gets as
     * {@code relay.oidc.*}.
     */
    static Chain startTrusting(java.util.Map<String, String> agentOidc, String user, String... groups)
            throws Exception {
        return start(false, agentOidc, user, groups);
    }

    /**
     * The chain as {@link #start(String, String...)}, with the relay giving each cluster a host name
     * under {@link #CLUSTER_DOMAIN} (its certificate is valid there, as every chain's is).
     */
    static Chain startWithClusterDomain(String user, String... groups) throws Exception {
        return start(false, java.util.Map.of(), java.util.Map.of("relay.cluster-domain", CLUSTER_DOMAIN), user, groups);
    }

    private static Chain start(boolean forwarded, String user, String... groups) throws Exception {
        return start(forwarded, java.util.Map.of(), user, groups);
    }

    private static Chain start(
            boolean forwarded, java.util.Map<String, String> agentTrust, String user, String... groups)
            throws Exception {
        return start(forwarded, agentTrust, java.util.Map.of(), user, groups);
    }

    private static Chain start(
            boolean forwarded,
            java.util.Map<String, String> agentTrust,
            java.util.Map<String, String> relayProperties,
            String user,
            String... groups)
            throws Exception {
        java.util.Map<String, String> relayTrust = new java.util.HashMap<>(relayProperties);
        agentTrust.forEach((key, value) -> relayTrust.put("relay." + key.substring("agent.".length()), value));
        Path dir = Files.createTempDirectory("cc-e2e-");
        Issuer issuer = new Issuer(dir);
        SandboxApiServer apiserver = REAL_CLUSTER != null
                ? null
                : SandboxApiServer.builder()
                        .token("agent-secret-token", AGENT_USER)
                        .impersonator(AGENT_USER)
                        .denyUser("bob")
                        .demoPods(true)
                        .logLineEvery(Duration.ofMillis(200))
                        .build()
                        .start();

        CertificateAuthority ca = CertificateAuthority.create("e2e relay CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost", "*." + CLUSTER_DOMAIN), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("relay-ca.crt"), ca.certificatePem());
        int relayPort = freePort();
        PostgresDatabase database = forwarded ? PostgresDatabase.create("cc_fwd") : null;
        Main holder = null;
        int agentPort = relayPort;
        Main relay;
        if (forwarded) {
            CertificateAuthority peerCa = CertificateAuthority.create("e2e peer CA", Duration.ofDays(1));
            peerCa.issuePeer("relay-peer", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                    .write(dir.resolve("peer.crt"), dir.resolve("peer.key"));
            Files.writeString(dir.resolve("peer-ca.crt"), peerCa.certificatePem());
            agentPort = freePort();
            holder = startRelay(dir, agentPort, issuer, replica(dir, database, "relay-holder"));
            relay = startRelay(dir, relayPort, issuer, replica(dir, database, "relay-entry"));
        } else {
            relay = startRelay(dir, relayPort, issuer, relayTrust);
        }
        String clusterId = registerCluster(relay, CLUSTER_NAME, dir.resolve("bootstrap-token"), Duration.ofMinutes(10));

        RealCluster cluster = null;
        if (apiserver != null) {
            KubeconfigEntry sandbox = KubeconfigEntry.named(
                    "sandbox",
                    URI.create(apiserver.url()),
                    apiserver.caCertificatePem(),
                    new BearerTokenCredential("agent-secret-token"));
            Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render(sandbox));
        } else {
            Files.copy(Path.of(REAL_CLUSTER), dir.resolve("apiserver.kubeconfig"));
            cluster = RealCluster.prepare(user, List.of(groups));
        }
        try {
            Main agent = agent(dir, agentPort, clusterId, issuer);
            agentTrust.forEach(agent::addOverrideProperty);
            agent.addOverrideProperty(
                    "agent.key.file", dir.resolve("agent-key.json").toString());
            agent.addOverrideProperty(
                    "agent.relay.bootstrap-token-file",
                    dir.resolve("bootstrap-token").toString());
            agent.start();

            Files.writeString(dir.resolve("user-token"), issuer.token(user, groups));
            Main proxy = ProxyApplication.create();
            proxy.addOverrideProperty("proxy.listen.port", "0");
            // the cluster on a port of its own, as clusterconnect proxy serves it (decision #15)
            proxy.addOverrideProperty("proxy.cluster-ports", clusterId + "=0");
            proxy.addOverrideProperty("proxy.relay.url", "https://127.0.0.1:" + relayPort);
            proxy.addOverrideProperty(
                    "proxy.relay.ca-file", dir.resolve("relay-ca.crt").toString());
            proxy.addOverrideProperty(
                    "proxy.token-file", dir.resolve("user-token").toString());
            proxy.addOverrideProperty(
                    "proxy.state-dir", dir.resolve("proxy-state").toString());
            proxy.start();
            int proxyPort = dev.clusterconnect.proxy.ProxyApplication.clusterPorts(proxy.getCamelContext())
                    .get(clusterId);

            Path kubeconfig = dir.resolve("kubeconfig");
            String caPem = proxy.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
            String localToken = proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
            Files.writeString(
                    kubeconfig,
                    StandaloneKubeconfig.render(KubeconfigEntry.forCluster(
                            CLUSTER_NAME,
                            URI.create("https://127.0.0.1:" + proxyPort),
                            caPem,
                            new BearerTokenCredential(localToken))));
            if (cluster != null) {
                new Kubectl(Kubectl.DEFAULT, kubeconfig)
                        .run("config", "set-context", "--current", "--namespace=" + cluster.namespace)
                        .ok();
            }
            Chain chain =
                    new Chain(dir, apiserver, clusterId, relayPort, relay, agent, proxy, kubeconfig, issuer, cluster);
            chain.holder = holder;
            chain.database = database;
            chain.relayTrust = java.util.Map.copyOf(relayTrust);
            await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(clusterId));
            if (forwarded) {
                // The entry learns of the tunnel through the store's notification.
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> database(relay)
                                                .presence()
                                                .liveHolders(clusterId)
                                                .size()
                                        == 1
                                && chain.kubectl().run("get", "configmaps").exit() == 0);
            }
            return chain;
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
    }

    /** A replica's settings: the shared database, a peer port, the peer certificate. */
    private static java.util.Map<String, String> replica(Path dir, PostgresDatabase database, String id)
            throws IOException {
        return java.util.Map.of(
                "relay.db.url",
                database.url(),
                "relay.db.username",
                PostgresDatabase.USER,
                "relay.instance.id",
                id,
                "relay.peer.enabled",
                "true",
                "relay.peer.listen.host",
                "127.0.0.1",
                "relay.peer.listen.port",
                String.valueOf(freePort()),
                "relay.peer.advertise-host",
                "127.0.0.1",
                "relay.peer.tls.cert-file",
                dir.resolve("peer.crt").toString(),
                "relay.peer.tls.key-file",
                dir.resolve("peer.key").toString(),
                "relay.peer.tls.ca-file",
                dir.resolve("peer-ca.crt").toString());
    }

    /** A relay on {@code port} whose embedded database lives in {@code dir/relay-data}, started. */
    static Main startRelay(Path dir, int port, Issuer issuer) {
        return startRelay(dir, port, issuer, java.util.Map.of());
    }

    /** A relay as {@link #startRelay(Path, int, Issuer)}, with some properties of its own. */
    static Main startRelay(Path dir, int port, Issuer issuer, java.util.Map<String, String> extra) {
        Main relay = RelayApplication.create();
        relay.addOverrideProperty("relay.listen.host", "127.0.0.1");
        relay.addOverrideProperty("relay.listen.port", String.valueOf(port));
        relay.addOverrideProperty(
                "relay.tls.cert-file", dir.resolve("relay.crt").toString());
        relay.addOverrideProperty("relay.tls.key-file", dir.resolve("relay.key").toString());
        relay.addOverrideProperty("relay.db.dir", dir.resolve("relay-data").toString());
        relay.addOverrideProperty(
                "relay.audit.file", dir.resolve("relay-audit.log").toString());
        relay.addOverrideProperty(
                "relay.tls.ca-file", dir.resolve("relay-ca.crt").toString());
        relay.addOverrideProperty("relay.public-url", "https://localhost");
        issuer.relayProperties().forEach(relay::addOverrideProperty);
        relay.addOverrideProperty("relay.health.port", "0");
        relay.addOverrideProperty("relay.shutdown.drain-timeout", "2s");
        relay.addOverrideProperty("relay.tunnel.heartbeat-interval-ms", "1000");
        relay.addOverrideProperty("relay.tunnel.heartbeat-timeout-ms", "5000");
        extra.forEach(relay::addOverrideProperty);
        relay.start();
        return relay;
    }

    /**
     * Registers a cluster in the relay's store, as the control plane would, and writes a bootstrap
     * token for it to {@code tokenFile}.
     *
     * @return the cluster id
     */
    static String registerCluster(Main relay, String name, Path tokenFile, Duration ttl) throws IOException {
        RelayDatabase db = database(relay);
        String id = db.clusters().register(OWNER, name).id();
        // bob may reach it too: tests show that the apiserver's own Forbidden reaches him unchanged
        db.grants().grant(id, SubjectKind.USER, "bob", OWNER);
        Files.writeString(tokenFile, db.bootstrapTokens().issue(id, ttl).token());
        return id;
    }

    /** The relay's database, as the running relay has it open. */
    RelayDatabase relayDatabase() {
        return database(relay);
    }

    static RelayDatabase database(Main relay) {
        return relay.getCamelContext().getRegistry().lookupByNameAndType("relayDatabase", RelayDatabase.class);
    }

    /** An agent for {@code clusterId}, configured but not started; the caller says where its key lives. */
    static Main agent(Path dir, int relayPort, String clusterId, Issuer issuer) {
        Main agent = AgentApplication.create();
        agent.addOverrideProperty("agent.relay.url", "wss://127.0.0.1:" + relayPort + "/agent/v1/connect");
        agent.addOverrideProperty("agent.cluster.id", clusterId);
        agent.addOverrideProperty(
                "agent.relay.ca-file", dir.resolve("relay-ca.crt").toString());
        agent.addOverrideProperty(
                "agent.apiserver.kubeconfig",
                dir.resolve("apiserver.kubeconfig").toString());
        issuer.agentProperties().forEach(agent::addOverrideProperty);
        agent.addOverrideProperty("agent.https-proxy", "");
        agent.addOverrideProperty("agent.health.port", "0");
        agent.addOverrideProperty("agent.tunnel.heartbeat-interval-ms", "1000");
        agent.addOverrideProperty("agent.tunnel.heartbeat-timeout-ms", "5000");
        return agent;
    }

    /** Stops the relay and starts it again on the same port and database. */
    void restartRelay() {
        relay.stop();
        relay = startRelay(dir, relayPort, issuer, relayTrust);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The proxy's own port, where a request names its cluster in the path (/clusters/<id>/...). */
    String proxyOwnUrl() {
        return "https://127.0.0.1:" + boundPort(proxy, "proxy-local");
    }

    static int boundPort(Main app, String routeId) {
        return ((KubeServerEndpoint) app.getCamelContext().getRoute(routeId).getEndpoint()).boundPort();
    }

    /** From now on the proxy presents {@code token} (it re-reads its token file when it changes). */
    void useToken(String token) throws IOException {
        Path file = dir.resolve("user-token");
        Path next = dir.resolve("user-token.next");
        Files.writeString(next, token);
        Files.setLastModifiedTime(
                next,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(tokenChanges++)));
        Files.move(
                next,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private long tokenChanges = 1;

    AgentRegistry agents() {
        return registry(holder != null ? holder : relay, "agents");
    }

    private static AgentRegistry registry(Main relay, String name) {
        return relay.getCamelContext()
                .getComponent("tunnel", TunnelComponent.class)
                .registry(name);
    }

    Kubectl kubectl() {
        return new Kubectl(Kubectl.DEFAULT, kubeconfig);
    }

    Kubectl kubectl(String binary) {
        return new Kubectl(binary, kubeconfig);
    }

    private boolean apiserverStopped;

    /** Stops the sandbox apiserver (a cluster whose apiserver stops answering). */
    void stopApiserver() {
        apiserverStopped = true;
        apiserver.close();
    }

    /** Waits until no stream is open in any tunnel: nothing leaked by the test. */
    void awaitNoOpenStreams() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> agents().openStreams() == 0
                        && (holder == null || registry(holder, "peers").openStreams() == 0));
    }

    @Override
    public void close() throws IOException {
        try {
            stopAll();
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private void stopAll() throws IOException {
        proxy.stop();
        agent.stop();
        relay.stop();
        if (holder != null) {
            holder.stop();
        }
        if (database != null) {
            try {
                database.close();
            } catch (java.sql.SQLException e) {
                throw new IOException("cannot drop the test database", e);
            }
        }
        if (apiserver != null && !apiserverStopped) {
            apiserver.close();
        }
        issuer.close();
        // Every I/O thread of the three apps is gone once they stopped.
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> leftThreads().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("I/O threads left after the apps stopped: " + leftThreads(), e);
        }
    }

    private static List<String> leftThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("(tunnel|kubeserver|kubeclient)-(io|accept).*"))
                .map(Thread::getName)
                .toList();
    }
}
