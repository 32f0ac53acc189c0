package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.proxy.kubeconfig.BearerTokenCredential;
import dev.clusterconnect.proxy.kubeconfig.KubeconfigEntry;
import dev.clusterconnect.proxy.kubeconfig.StandaloneKubeconfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox apiserver as a cluster of its own: a separate JVM ({@code SandboxMain --rbac
 * --no-demo-pods}) with nothing in it but a new cluster's bootstrap RBAC, an admin kubeconfig
 * ({@code system:masters}) and an agent kubeconfig whose identity gets exactly what
 * docs/testing.md tells a kind user to give it: the Helm chart's impersonation rules.
 */
final class ExternalApiserver implements AutoCloseable {

    static final String AGENT_USER = "clusterconnect-agent";
    /** The agent's ClusterRole and its binding, as docs/testing.md has them for kind. */
    static final String AGENT_RBAC = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: clusterconnect-e2e-agent}
            rules:
            - apiGroups: [""]
              resources: ["users", "groups", "serviceaccounts"]
              verbs: ["impersonate"]
            - apiGroups: ["authentication.k8s.io"]
              resources: ["uids", "userextras/*"]
              verbs: ["impersonate"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: clusterconnect-e2e-agent}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: clusterconnect-e2e-agent}
            subjects:
            - {apiGroup: rbac.authorization.k8s.io, kind: User, name: %s}
            """.formatted(AGENT_USER);

    final Path dir;
    final Path adminKubeconfig;
    final Path agentKubeconfig;
    private final Process process;

    private ExternalApiserver(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.adminKubeconfig = dir.resolve("admin.kubeconfig");
        this.agentKubeconfig = dir.resolve("agent.kubeconfig");
    }

    /** Starts the process, waits until it serves, writes both kubeconfigs and grants the agent. */
    static ExternalApiserver start() throws Exception {
        Path dir = Files.createTempDirectory("cc-external-apiserver-");
        int port = Chain.freePort();
        ProcessBuilder builder = new ProcessBuilder(
                java(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.clusterconnect.sandbox.SandboxMain",
                "--port",
                String.valueOf(port),
                "--rbac",
                "--no-demo-pods",
                "--log-interval-ms",
                "300",
                "--ca-file",
                dir.resolve("ca.crt").toString(),
                "--admin-token-file",
                dir.resolve("admin.token").toString(),
                "--user-token-file",
                AGENT_USER + "=" + dir.resolve("agent.token"));
        builder.redirectErrorStream(true)
                .redirectOutput(dir.resolve("apiserver.log").toFile());
        ExternalApiserver apiserver = new ExternalApiserver(dir, builder.start());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> apiserver.log().contains("listening on"));
            String url = "https://127.0.0.1:" + port;
            String ca = Files.readString(dir.resolve("ca.crt"));
            BearerTokenCredential admin = new BearerTokenCredential(
                    Files.readString(dir.resolve("admin.token")).trim());
            BearerTokenCredential agent = new BearerTokenCredential(
                    Files.readString(dir.resolve("agent.token")).trim());
            Files.writeString(
                    apiserver.adminKubeconfig,
                    StandaloneKubeconfig.render(KubeconfigEntry.named("external-admin", URI.create(url), ca, admin)));
            Files.writeString(
                    apiserver.agentKubeconfig,
                    StandaloneKubeconfig.render(KubeconfigEntry.named("external", URI.create(url), ca, agent)));
            apiserver
                    .admin()
                    .run(AGENT_RBAC.getBytes(StandardCharsets.UTF_8), "apply", "-f", "-")
                    .ok();
            return apiserver;
        } catch (Exception | Error e) {
            apiserver.close();
            throw e;
        }
    }

    Kubectl admin() {
        return new Kubectl(Kubectl.DEFAULT, adminKubeconfig);
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("apiserver.log"));
    }

    /** A JVM on the test classpath running {@code main} with the suite's real-mode environment. */
    ProcessBuilder realModeJvm(String main, List<String> args) {
        // the flag surefire's argLine gives the e2e JVM: BlockHound's JUnit listener needs it here too
        List<String> command = new java.util.ArrayList<>(List.of(
                java(),
                "-Xmx512m",
                "-XX:+AllowRedefinitionToAddDeleteMethods",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CC_E2E_KUBECONFIG", agentKubeconfig.toString());
        builder.environment().put("CC_E2E_ADMIN_KUBECONFIG", adminKubeconfig.toString());
        builder.environment().remove("KUBECONFIG");
        return builder;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
