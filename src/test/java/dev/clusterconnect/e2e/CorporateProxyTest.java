package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent whose only way out is a corporate HTTP proxy (tinyproxy from Debian, started here) that
 * demands basic auth: it tunnels to the relay with HTTP CONNECT, and kubectl works through it.
 */
class CorporateProxyTest {

    private static final Path TINYPROXY = Path.of("/usr/bin/tinyproxy");
    private static Chain chain;
    private static Process tinyproxy;
    private static int proxyPort;
    private static Path proxyLog;

    @BeforeAll
    static void start() throws Exception {
        installTinyproxy();
        chain = Chain.start("alice");
        proxyPort = freePort();
        proxyLog = chain.dir.resolve("tinyproxy.log");
        Path config = chain.dir.resolve("tinyproxy.conf");
        Files.writeString(config, """
                Port %d
                Listen 127.0.0.1
                Timeout 600
                Allow 127.0.0.1
                BasicAuth corp s3cret-proxy-password
                ConnectPort %d
                LogFile "%s"
                LogLevel Connect
                MaxClients 20
                """.formatted(proxyPort, chain.relayPort, proxyLog));
        tinyproxy = new ProcessBuilder(TINYPROXY.toString(), "-d", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(chain.dir.resolve("tinyproxy.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (var ignored = new java.net.Socket("127.0.0.1", proxyPort)) {
                return true;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (tinyproxy != null) {
            tinyproxy.destroy();
            tinyproxy.waitFor(10, TimeUnit.SECONDS);
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void anAgentBehindAnAuthenticatingProxyConnectsThroughItAndServesKubectl() throws Exception {
        String cluster = Chain.registerCluster(
                chain.relay, "behind-proxy", chain.dir.resolve("proxied-token"), Duration.ofMinutes(5));
        Main agent = agentThrough(cluster, "proxied", "http://corp:s3cret-proxy-password@127.0.0.1:" + proxyPort);
        long before = connectRequests();
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.agents().isConnected(cluster));
            // both ways out went through the proxy: the enrolment call and the tunnel
            assertThat(connectRequests() - before).isGreaterThanOrEqualTo(2);
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT, kubeconfigFor(cluster));
            String pod = chain.pod(0);
            assertThat(kubectl.run("get", "pods", "-n", chain.namespace()).ok().out())
                    .contains(pod);
            assertThat(kubectl.run("exec", "-n", chain.namespace(), pod, "--", "echo", "through the proxy")
                            .ok()
                            .out())
                    .isEqualTo("through the proxy\n");
        } finally {
            agent.stop();
        }
        assertThat(Files.readString(chain.dir.resolve("tinyproxy.out")) + Files.readString(proxyLog))
                .doesNotContain("s3cret-proxy-password");
    }

    @Test
    void aWrongProxyPasswordKeepsTheAgentOutWithAClearError() throws Exception {
        String cluster = Chain.registerCluster(
                chain.relay, "wrong-password", chain.dir.resolve("wrong-token"), Duration.ofMinutes(5));
        Main agent = agentThrough(cluster, "wrong", "http://corp:not-the-password@127.0.0.1:" + proxyPort);
        long before = connectRequests();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(agent::start)
                    .hasStackTraceContaining("enrolment failed")
                    .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain("not-the-password"));
            assertThat(connectRequests()).as("the proxy was asked").isGreaterThan(before);
            assertThat(chain.agents().isConnected(cluster)).isFalse();
        } finally {
            agent.stop();
        }
    }

    @Test
    void aTlsInspectingProxysCaIsTrustedForTheRelay() throws Exception {
        // A TLS-inspecting proxy re-signs the relay's certificate with its own CA; the agent then
        // needs that CA. Here the relay CA file is wrong on purpose and only agent.proxy.ca-file
        // holds the CA that signed what the agent sees.
        String cluster = Chain.registerCluster(
                chain.relay, "inspected", chain.dir.resolve("inspected-token"), Duration.ofMinutes(5));
        Path unrelatedCa = chain.dir.resolve("unrelated-ca.crt");
        Files.writeString(
                unrelatedCa,
                dev.clusterconnect.routes.tls.CertificateAuthority.create("not the relay's CA", Duration.ofDays(1))
                        .certificatePem());
        Main agent = Chain.agent(chain.dir, chain.relayPort, cluster, chain.issuer);
        agent.addOverrideProperty(
                "agent.key.file", chain.dir.resolve("inspected-key.json").toString());
        agent.addOverrideProperty(
                "agent.relay.bootstrap-token-file",
                chain.dir.resolve("inspected-token").toString());
        agent.addOverrideProperty("agent.relay.ca-file", unrelatedCa.toString());
        agent.addOverrideProperty(
                "agent.proxy.ca-file", chain.dir.resolve("relay-ca.crt").toString());
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.agents().isConnected(cluster));
        } finally {
            agent.stop();
        }
    }

    private static long connectRequests() throws IOException {
        return Files.readAllLines(proxyLog).stream()
                .filter(line -> line.contains("CONNECT 127.0.0.1:" + chain.relayPort))
                .count();
    }

    private static Main agentThrough(String cluster, String name, String httpsProxy) {
        Main agent = Chain.agent(chain.dir, chain.relayPort, cluster, chain.issuer);
        agent.addOverrideProperty(
                "agent.key.file", chain.dir.resolve(name + "-key.json").toString());
        agent.addOverrideProperty(
                "agent.relay.bootstrap-token-file",
                chain.dir.resolve(name + "-token").toString());
        agent.addOverrideProperty("agent.https-proxy", httpsProxy);
        return agent;
    }

    private static Path kubeconfigFor(String cluster) throws IOException {
        var registry = chain.proxy.getCamelContext().getRegistry();
        int port = Chain.boundPort(chain.proxy, "proxy-local");
        Path file = chain.dir.resolve("kubeconfig-" + cluster);
        KubeconfigEntry proxied = KubeconfigEntry.named(
                "proxied",
                URI.create("https://127.0.0.1:" + port + "/clusters/" + cluster),
                registry.lookupByNameAndType("localCaPem", String.class),
                new BearerTokenCredential(registry.lookupByNameAndType("localToken", String.class)));
        Files.writeString(file, StandaloneKubeconfig.render(proxied));
        return file;
    }

    /** The test's own setup installs the proxy from Debian's packages when it is missing. */
    private static void installTinyproxy() throws Exception {
        if (Files.isExecutable(TINYPROXY)) {
            return;
        }
        Process install = new ProcessBuilder(
                        "sh",
                        "-c",
                        "apt-get install -y -q tinyproxy || (apt-get update -q && apt-get install -y -q tinyproxy)")
                .redirectErrorStream(true)
                .start();
        String output = new String(install.getInputStream().readAllBytes());
        if (!install.waitFor(300, TimeUnit.SECONDS) || !Files.isExecutable(TINYPROXY)) {
            throw new IllegalStateException(
                    "tinyproxy is needed (apt-get install tinyproxy, as root); installing it failed:\n" + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
