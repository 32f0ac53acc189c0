package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code clusterconnect} command as a user runs it (bin/clusterconnect, a separate process with
 * its own HOME), in both modes: the local proxy, and direct to the relay with the command as
 * kubectl's exec credential plugin.
 */
class ClientProgramTest {

    private static final Path LAUNCHER =
            Path.of("..", "bin", "clusterconnect").toAbsolutePath().normalize();
    private static final String UNRELATED = """
            apiVersion: v1
            kind: Config
            # my other cluster, keep as is
            clusters:
            - cluster:
                server: https://other.example.com:6443   # production
                insecure-skip-tls-verify: false
              name: other
            contexts:
            - context: {cluster: other, user: other-admin, namespace: payments}
              name: other
            current-context: other
            users:
            - name: other-admin
              user:
                token: not-a-real-token
            """;

    private static Chain chain;
    private static Path home;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.startWithClusterDomain("alice", "dev");
        assumeTrue(chain.hasSandbox(), "these scenarios use the sandbox's pods");
        home = Files.createDirectories(chain.dir.resolve("home"));
        // carol and dave reach the cluster through their group
        chain.relayDatabase()
                .grants()
                .grant(chain.clusterId, dev.clusterconnect.relay.store.SubjectKind.GROUP, "dev", Chain.OWNER);
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void proxyModeMergesAContextKeepsTheOthersAndRefreshesTheTokenUnderAnOpenWatch() throws Exception {
        Path kubeconfig = home.resolve("kubeconfig");
        Files.writeString(kubeconfig, UNRELATED);
        Path tokenFile = home.resolve("token");
        Files.writeString(tokenFile, chain.issuer.token("alice", "dev"));
        int port = freePort();
        try (Cli proxy = Cli.start(
                "proxy",
                "--relay",
                relayUrl(),
                "--relay-ca",
                relayCa(),
                "--cluster",
                chain.clusterId + "=" + freePort(),
                "--file",
                kubeconfig.toString(),
                "--token-file",
                tokenFile.toString(),
                "--port",
                String.valueOf(port))) {
            proxy.awaitLine("serving");
            String merged = Files.readString(kubeconfig);
            for (String line : UNRELATED
                    .lines()
                    .filter(l -> !l.startsWith("current-context"))
                    .toList()) {
                assertThat(merged).contains(line);
            }
            // named after the cluster's name at the relay, not its id
            assertThat(merged).contains("current-context: clusterconnect-" + Chain.CLUSTER_NAME + "\n");
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT, kubeconfig);
            assertThat(kubectl.run("get", "pods").ok().out()).contains("demo-0");

            try (var watch = kubectl.start("get", "configmaps", "-w", "--output-watch-events")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() > 0);
                // The token changes (a refresh) while the watch is open.
                Path next = home.resolve("token.next");
                Files.writeString(next, chain.issuer.token("carol", "dev"));
                Files.setLastModifiedTime(
                        next,
                        java.nio.file.attribute.FileTime.from(
                                java.time.Instant.now().plusSeconds(5)));
                Files.move(
                        next,
                        tokenFile,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                chain.kubectl()
                        .run("create", "configmap", "after-refresh", "--from-literal=a=b")
                        .ok();
                assertThat(watch.awaitLine("after-refresh", Duration.ofSeconds(20)))
                        .contains("ADDED");
                assertThat(kubectl.run("auth", "whoami").ok().out()).contains("carol");
                assertThat(watch.isAlive()).isTrue();
            }
        }
    }

    /**
     * kubectl get --raw drops the path of the kubeconfig's server URL (client-go's RequestURI), so
     * a cluster chosen by /clusters/<id> was lost and the relay answered its own 404. The proxy
     * serves each cluster on a port of its own, which every client keeps.
     */
    @Test
    void proxyModeServesEachClusterOnItsOwnPortForRawPathsKubectlProxyAndSeveralClusters() throws Exception {
        Path kubeconfig = home.resolve("ports-kubeconfig");
        Path tokenFile = home.resolve("ports-token");
        Files.writeString(tokenFile, chain.issuer.token("alice", "dev"));
        String second = chain.relayDatabase()
                .clusters()
                .register(Chain.OWNER, "raw-paths")
                .id();
        int own = freePort();
        int first = freePort();
        int other = freePort();
        // /metrics is for the system:monitoring role, as in Kubernetes
        Path binding = home.resolve("alice-monitoring.yaml");
        Files.writeString(binding, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: alice-monitoring}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:monitoring"}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
                """);
        new Kubectl(Kubectl.DEFAULT, chain.dir.resolve("apiserver.kubeconfig"))
                .run("apply", "-f", binding.toString())
                .ok();
        try (Cli proxy = Cli.start(
                "proxy",
                "--relay",
                relayUrl(),
                "--relay-ca",
                relayCa(),
                "--cluster",
                chain.clusterId + "=" + first,
                "--cluster",
                second + "=" + other,
                "--file",
                kubeconfig.toString(),
                "--token-file",
                tokenFile.toString(),
                "--port",
                String.valueOf(own))) {
            proxy.awaitLine("serving");
            assertThat(Files.readString(kubeconfig))
                    .contains("server: https://127.0.0.1:" + first + "\n")
                    .contains("server: https://127.0.0.1:" + other + "\n");
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT, kubeconfig);
            java.util.Map<String, String> raw = java.util.Map.of(
                    "/readyz", "ok",
                    "/livez", "ok",
                    "/version", "\"gitVersion\"",
                    "/api", "\"APIVersions\"",
                    "/apis", "\"APIGroupList\"",
                    "/openapi/v3", "\"paths\"",
                    "/metrics", "apiserver_request_total");
            for (var path : raw.entrySet()) {
                assertThat(kubectl.run("get", "--raw", path.getKey()).ok().out())
                        .as(path.getKey())
                        .contains(path.getValue());
            }
            assertThat(kubectl.run("get", "pods").ok().out()).contains("demo-0");

            // the other cluster's port reaches the other cluster: no agent there yet
            Kubectl.Result elsewhere = kubectl.run("--context", "clusterconnect-raw-paths", "get", "--raw", "/version");
            assertThat(elsewhere.exit()).isNotZero();
            assertThat(elsewhere.err()).contains(second).doesNotContain("gitVersion");

            // a path that names its cluster still works on the proxy's own port
            assertThat(kubectl.run(
                                    "--server",
                                    "https://127.0.0.1:" + own + "/clusters/" + chain.clusterId,
                                    "get",
                                    "pods")
                            .ok()
                            .out())
                    .contains("demo-0");

            // kubectl proxy on top of our kubeconfig
            try (var local = kubectl.start("proxy", "--port=0")) {
                var matcher = java.util.regex.Pattern.compile("Starting to serve on 127\\.0\\.0\\.1:(\\d+)")
                        .matcher(local.awaitLine("Starting to serve", Duration.ofSeconds(20)));
                assertThat(matcher.find()).isTrue();
                // HTTP/1.1: the JDK client's h2c upgrade offer would make kubectl proxy expect a 101, as
                // with any apiserver
                var client = java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .build();
                for (String path : List.of("/api/v1/namespaces/default/pods", "/version")) {
                    var response = client.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + matcher.group(1) + path))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode())
                            .as(path + ": " + response.body())
                            .isEqualTo(200);
                    assertThat(response.body()).as(path).containsAnyOf("demo-0", "gitVersion");
                }
            }
        }
    }

    @Test
    void directModeRunsTheCommandAsKubectlsCredentialPluginForGetExecWatchAndPortForward() throws Exception {
        Path kubeconfig = home.resolve("direct-kubeconfig");
        Path tokenFile = home.resolve("direct-token");
        Files.writeString(tokenFile, chain.issuer.token("dave", "dev"));
        Cli.run(
                        "kubeconfig",
                        "--relay",
                        relayUrl(),
                        "--relay-ca",
                        relayCa(),
                        "--cluster",
                        chain.clusterId,
                        "--file",
                        kubeconfig.toString(),
                        "--exec-command",
                        LAUNCHER.toString(),
                        "--token-file",
                        tokenFile.toString())
                .ok();
        // The relay gives the cluster a host name of its own, which kubectl get --raw keeps
        String host = dev.clusterconnect.relay.ClusterHosts.label(chain.clusterId) + "." + Chain.CLUSTER_DOMAIN;
        assertThat(Files.readString(kubeconfig))
                .contains("client.authentication.k8s.io/v1")
                .contains("server: https://" + host + "\n");
        Kubectl kubectl = new Kubectl(Kubectl.DEFAULT, kubeconfig)
                .withEnv("HOME", home.toString())
                .withEnv("XDG_CONFIG_HOME", null)
                .withEnv("XDG_CACHE_HOME", null);
        // No DNS here for *.clusters.e2e.test: the relay's address, and the cluster's name in TLS SNI
        kubectl.run(
                        "config",
                        "set-cluster",
                        "clusterconnect-" + Chain.CLUSTER_NAME,
                        "--server=" + relayUrl(),
                        "--tls-server-name=" + host)
                .ok();
        assertThat(kubectl.run("auth", "whoami").ok().out()).contains("dave");
        assertThat(kubectl.run("get", "--raw", "/version").ok().out()).contains("\"gitVersion\"");
        assertThat(kubectl.run("get", "--raw", "/api/v1/namespaces/default/pods")
                        .ok()
                        .out())
                .as("a Kubernetes path the relay's API shares, now the cluster's")
                .contains("demo-0");
        assertThat(kubectl.run("exec", "demo-0", "--", "echo", "direct").ok().out())
                .isEqualTo("direct\n");

        try (var watch = kubectl.start("get", "configmaps", "-w", "--output-watch-events")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> chain.apiserver.openWatchCount() > 0);
            chain.kubectl()
                    .run("create", "configmap", "seen-directly", "--from-literal=a=b")
                    .ok();
            assertThat(watch.awaitLine("seen-directly", Duration.ofSeconds(20))).contains("ADDED");
        }
        try (var forward = kubectl.start("port-forward", "pod/demo-0", ":8080")) {
            var matcher = java.util.regex.Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(forward.awaitLine("Forwarding from 127.0.0.1", Duration.ofSeconds(20)));
            assertThat(matcher.find()).isTrue();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(matcher.group(1)))) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write("ping direct\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("ping direct");
            }
        }
    }

    @Test
    void aPortInUseIsReportedWithItsOwnerAndExitCode4() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path tokenFile = home.resolve("port-token");
            Files.writeString(tokenFile, chain.issuer.token("alice"));
            var result = Cli.run(
                    "proxy",
                    "--relay",
                    relayUrl(),
                    "--relay-ca",
                    relayCa(),
                    "--cluster",
                    chain.clusterId,
                    "--file",
                    home.resolve("port-kubeconfig").toString(),
                    "--token-file",
                    tokenFile.toString(),
                    "--port",
                    String.valueOf(taken.getLocalPort()));
            assertThat(result.exit()).isEqualTo(4);
            assertThat(result.err())
                    .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("held by process " + ProcessHandle.current().pid())
                    .doesNotContain("Exception");
        }
    }

    @Test
    void noTokenIsExitCode3WithAClearMessage() throws Exception {
        var result = Cli.run("token", "--cluster", "never-used", "--token-env", "CLUSTERCONNECT_TEST_UNSET_VARIABLE");
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.err()).startsWith("clusterconnect: ").doesNotContain("Exception");
    }

    @Test
    void controlPlaneVerbsRegisterListGrantRevokeAndDelete() throws Exception {
        Path alice = home.resolve("cp-alice");
        Files.writeString(alice, chain.issuer.token("alice", "dev"));
        Path bob = home.resolve("cp-bob");
        Files.writeString(bob, chain.issuer.token("bob"));
        String[] asAlice = {"--relay", relayUrl(), "--relay-ca", relayCa(), "--token-file", alice.toString()};
        String[] asBob = {"--relay", relayUrl(), "--relay-ca", relayCa(), "--token-file", bob.toString()};

        var connected = Cli.run(with(new String[] {"connect", "--name", "second"}, asAlice))
                .ok();
        assertThat(connected.out()).contains("helm install").contains("clusterId=");
        String id = connected.out().replaceAll("(?s).*registered with id (\\S+);.*", "$1");

        String listed = Cli.run(with(new String[] {"list"}, asAlice)).ok().out();
        assertThat(listed).contains(id).contains(chain.clusterId);
        // Connected, and the relay replica that holds its tunnel; the new cluster has none yet.
        assertThat(listed.lines()
                        .filter(l -> l.startsWith(chain.clusterId))
                        .findFirst()
                        .orElseThrow())
                .matches(".*\\syes\\s+\\S+$");
        assertThat(listed.lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                .matches(".*\\sno\\s+-$");

        Cli.run(with(new String[] {"grant", "--cluster", id, "--group", "sre"}, asAlice))
                .ok();
        assertThat(Cli.run(with(new String[] {"show", "--cluster", id}, asAlice))
                        .ok()
                        .out())
                .contains("\"sre\"");
        Cli.run(with(new String[] {"revoke", "--cluster", id, "--group", "sre"}, asAlice))
                .ok();
        assertThat(Cli.run(with(new String[] {"show", "--cluster", id}, asAlice))
                        .ok()
                        .out())
                .doesNotContain("\"sre\"");

        var refused = Cli.run(with(new String[] {"delete", "--cluster", id}, asBob));
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).startsWith("clusterconnect: the relay refused");
        Cli.run(with(new String[] {"delete", "--cluster", id}, asAlice)).ok();
        assertThat(Cli.run(with(new String[] {"list"}, asAlice)).ok().out()).doesNotContain(id);
    }

    private static String[] with(String[] verb, String[] common) {
        return Stream.concat(Arrays.stream(verb), Arrays.stream(common)).toArray(String[]::new);
    }

    private static String relayUrl() {
        return "https://127.0.0.1:" + Chain.boundPort(chain.relay, "relay-clients");
    }

    private static String relayCa() {
        return chain.dir.resolve("relay-ca.crt").toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** bin/clusterconnect as a separate process with its own HOME. */
    private static final class Cli implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Cli(Process process) {
            this.process = process;
            Thread pump = new Thread(() -> {
                try (var reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ended) {
                    // the process ended
                }
            });
            pump.setDaemon(true);
            pump.start();
        }

        static ProcessBuilder builder(String... args) {
            List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("HOME", home.toString());
            builder.environment().remove("KUBECONFIG");
            builder.environment().remove("XDG_CONFIG_HOME");
            builder.environment().remove("XDG_CACHE_HOME");
            return builder;
        }

        static Cli start(String... args) throws Exception {
            return new Cli(builder(args).redirectErrorStream(true).start());
        }

        static Kubectl.Result run(String... args) throws Exception {
            Process process = builder(args).start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Kubectl.Result(
                    process.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        }

        void awaitLine(String text) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.contains(text)) {
                    return;
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("clusterconnect never printed '" + text + "'; remaining output: " + lines);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
