package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.agent.AgentApplication;
import dev.clusterconnect.proxy.ProxyApplication;
import dev.clusterconnect.proxy.StandaloneKubeconfig;
import dev.clusterconnect.relay.AgentTokens;
import dev.clusterconnect.relay.RelayApplication;
import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.tls.CertificateAuthority;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.main.Main;

/**
 * The whole product on this machine: a sandbox apiserver, the relay, an agent dialling it, and
 * the proxy, each a real Camel Main application in this JVM, plus a kubeconfig for kubectl that
 * points at the proxy. Everything listens on free ports.
 */
final class Chain implements AutoCloseable {

    static final String CLUSTER = "e2e";
    static final String AGENT_USER = "clusterconnect-agent";

    final Path dir;
    final SandboxApiServer apiserver;
    final Main relay;
    final Main agent;
    final Main proxy;
    final Path kubeconfig;
    final Issuer issuer;

    private Chain(Path dir, SandboxApiServer apiserver, Main relay, Main agent, Main proxy, Path kubeconfig, Issuer issuer) {
        this.issuer = issuer;
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

    /** The chain, with the proxy presenting a token of {@code user} in {@code groups}. */
    static Chain start(String user, String... groups) throws Exception {
        Path dir = Files.createTempDirectory("cc-e2e-");
        Issuer issuer = new Issuer(dir);
        SandboxApiServer apiserver = REAL_CLUSTER != null ? null : SandboxApiServer.builder()
                .token("agent-secret-token", AGENT_USER).impersonator(AGENT_USER)
                .denyUser("bob").demoPods(true).logLineEvery(Duration.ofMillis(200))
                .build().start();

        CertificateAuthority ca = CertificateAuthority.create("e2e relay CA", Duration.ofDays(1));
        ca.issueServer("relay", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1))
                .write(dir.resolve("relay.crt"), dir.resolve("relay.key"));
        Files.writeString(dir.resolve("relay-ca.crt"), ca.certificatePem());
        String agentToken = "agent-token-" + HexFormat.of().toHexDigits(System.nanoTime());
        Files.writeString(dir.resolve("agent-token"), agentToken);

        Main relay = RelayApplication.create();
        relay.addOverrideProperty("relay.listen.host", "127.0.0.1");
        relay.addOverrideProperty("relay.listen.port", "0");
        relay.addOverrideProperty("relay.tls.cert-file", dir.resolve("relay.crt").toString());
        relay.addOverrideProperty("relay.tls.key-file", dir.resolve("relay.key").toString());
        relay.addOverrideProperty("relay.agent-clusters", CLUSTER);
        relay.addOverrideProperty("relay.agent-tokens." + CLUSTER, HexFormat.of().formatHex(AgentTokens.sha256(agentToken)));
        relay.addOverrideProperty("relay.tunnel.heartbeat-interval-ms", "1000");
        relay.addOverrideProperty("relay.tunnel.heartbeat-timeout-ms", "5000");
        relay.start();
        int relayPort = boundPort(relay, "relay-clients");

        if (apiserver != null) {
            Files.writeString(dir.resolve("apiserver.kubeconfig"), StandaloneKubeconfig.render("sandbox", apiserver.url(),
                    apiserver.caCertificatePem(), "agent-secret-token"));
        } else {
            Files.copy(Path.of(REAL_CLUSTER), dir.resolve("apiserver.kubeconfig"));
            grantOnRealCluster(user);
        }
        Main agent = AgentApplication.create();
        agent.addOverrideProperty("agent.relay.url", "wss://127.0.0.1:" + relayPort + "/agent/v1/connect");
        agent.addOverrideProperty("agent.cluster.id", CLUSTER);
        agent.addOverrideProperty("agent.relay.ca-file", dir.resolve("relay-ca.crt").toString());
        agent.addOverrideProperty("agent.relay.token-file", dir.resolve("agent-token").toString());
        agent.addOverrideProperty("agent.apiserver.kubeconfig", dir.resolve("apiserver.kubeconfig").toString());
        issuer.agentProperties().forEach(agent::addOverrideProperty);
        agent.addOverrideProperty("agent.https-proxy", "");
        agent.addOverrideProperty("agent.tunnel.heartbeat-interval-ms", "1000");
        agent.addOverrideProperty("agent.tunnel.heartbeat-timeout-ms", "5000");
        agent.start();

        Files.writeString(dir.resolve("user-token"), issuer.token(user, groups));
        Main proxy = ProxyApplication.create();
        proxy.addOverrideProperty("proxy.listen.port", "0");
        proxy.addOverrideProperty("proxy.relay.url", "https://127.0.0.1:" + relayPort);
        proxy.addOverrideProperty("proxy.relay.ca-file", dir.resolve("relay-ca.crt").toString());
        proxy.addOverrideProperty("proxy.token-file", dir.resolve("user-token").toString());
        proxy.addOverrideProperty("proxy.state-dir", dir.resolve("proxy-state").toString());
        proxy.start();
        int proxyPort = boundPort(proxy, "proxy-local");

        Path kubeconfig = dir.resolve("kubeconfig");
        String caPem = proxy.getCamelContext().getRegistry().lookupByNameAndType("localCaPem", String.class);
        String localToken = proxy.getCamelContext().getRegistry().lookupByNameAndType("localToken", String.class);
        Files.writeString(kubeconfig, StandaloneKubeconfig.render("clusterconnect-" + CLUSTER,
                "https://127.0.0.1:" + proxyPort + "/clusters/" + CLUSTER, caPem, localToken));
        Chain chain = new Chain(dir, apiserver, relay, agent, proxy, kubeconfig, issuer);
        await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(CLUSTER));
        return chain;
    }

    /** With an admin kubeconfig, lets the impersonated user edit the default namespace. */
    private static void grantOnRealCluster(String user) throws Exception {
        String admin = System.getenv("CC_E2E_ADMIN_KUBECONFIG");
        if (admin == null) {
            return;
        }
        var result = new Kubectl(Kubectl.DEFAULT, Path.of(admin)).run("create", "rolebinding", "clusterconnect-e2e-" + user,
                "--clusterrole=edit", "--user=" + user, "--namespace=default");
        if (result.exit() != 0 && !result.err().contains("AlreadyExists")) {
            throw new IllegalStateException("cannot grant " + user + " on the real cluster: " + result.err());
        }
    }

    static int boundPort(Main app, String routeId) {
        return ((KubeServerEndpoint) app.getCamelContext().getRoute(routeId).getEndpoint()).boundPort();
    }

    /** From now on the proxy presents {@code token} (it re-reads its token file when it changes). */
    void useToken(String token) throws IOException {
        Path file = dir.resolve("user-token");
        Path next = dir.resolve("user-token.next");
        Files.writeString(next, token);
        Files.setLastModifiedTime(next, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(tokenChanges++)));
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private long tokenChanges = 1;

    AgentRegistry agents() {
        return relay.getCamelContext().getComponent("tunnel", TunnelComponent.class).registry("agents");
    }

    Kubectl kubectl() {
        return new Kubectl(Kubectl.DEFAULT, kubeconfig);
    }

    Kubectl kubectl(String binary) {
        return new Kubectl(binary, kubeconfig);
    }

    /** Waits until no stream is open in any tunnel: nothing leaked by the test. */
    void awaitNoOpenStreams() {
        await().atMost(Duration.ofSeconds(10)).until(() -> agents().openStreams() == 0);
    }

    @Override
    public void close() throws IOException {
        proxy.stop();
        agent.stop();
        relay.stop();
        if (apiserver != null) {
            apiserver.close();
        }
        issuer.close();
        // Every I/O thread of the three apps is gone once they stopped.
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().matches("(tunnel|kubeserver|kubeclient)-(io|accept).*")));
    }
}
