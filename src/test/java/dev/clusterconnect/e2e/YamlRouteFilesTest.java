package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.sandbox.RecordedRequest;
import dev.clusterconnect.sandbox.SandboxApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of docs/yaml-routes.md, each a route file from docs/examples/routes/ given
 * to a runnable jar in its routes directory, tried with the real kubectl: the agent refuses to
 * delete prod- namespaces, the relay sends one cluster's secret requests to an extra audit step,
 * the proxy adds a User-Agent suffix. And a broken file stops an app at start-up, naming itself.
 */
class YamlRouteFilesTest {

    private static final Path EXAMPLES =
            Path.of("..", "docs", "examples", "routes").toAbsolutePath().normalize();

    private static SandboxApiServer apiserver;
    private static SeparateProcesses chain;
    private static Kubectl kubectl;

    @BeforeAll
    static void start() throws Exception {
        apiserver = SandboxApiServer.builder()
                .token("agent-secret-token", Chain.AGENT_USER)
                .impersonator(Chain.AGENT_USER)
                .build()
                .start();
        Path routes = Files.createTempDirectory("cc-route-files-");
        Map<String, String> dirs = Map.of(
                "agent-app",
                "agent-no-prod-namespace-delete.yaml",
                "relay-app",
                "relay-secret-audit.yaml",
                "proxy-app",
                "proxy-user-agent.yaml");
        for (Map.Entry<String, String> app : dirs.entrySet()) {
            Path dir = Files.createDirectories(routes.resolve(app.getKey()));
            Files.copy(EXAMPLES.resolve(app.getValue()), dir.resolve(app.getValue()));
        }
        chain = SeparateProcesses.start(
                apiserver,
                "256m",
                cluster -> Map.of(
                        "agent-app",
                                Map.of(
                                        "AGENT_ROUTES_DIR",
                                        routes.resolve("agent-app").toString()),
                        "relay-app",
                                Map.of(
                                        "RELAY_ROUTES_DIR",
                                        routes.resolve("relay-app").toString(),
                                        "RELAY_SECRET_AUDIT_CLUSTER",
                                        cluster),
                        "proxy-app",
                                Map.of(
                                        "PROXY_ROUTES_DIR",
                                        routes.resolve("proxy-app").toString())));
        kubectl = new Kubectl(Kubectl.DEFAULT, chain.dir.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (chain != null) {
            chain.close();
        }
        if (apiserver != null) {
            apiserver.close();
        }
    }

    @Test
    void theAgentRefusesToDeleteAProdNamespaceAndDeletesOthers() throws Exception {
        kubectl.run("create", "namespace", "prod-payments").ok();
        kubectl.run("create", "namespace", "dev-payments").ok();

        Kubectl.Result refused = kubectl.run("delete", "namespace", "prod-payments");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err())
                .contains("Error from server (Forbidden): "
                        + "namespaces named prod-* are not deleted through clusterconnect; ask the platform team");
        assertThat(kubectl.run("get", "namespace", "prod-payments").ok().out()).contains("prod-payments");
        assertThat(kubectl.run("delete", "namespace", "dev-payments").ok().out())
                .contains("deleted");
        // the refusal is the agent's: the apiserver never saw the DELETE
        assertThat(apiserver.requests())
                .noneMatch(r -> r.method().equals("DELETE") && r.path().endsWith("/namespaces/prod-payments"));
    }

    @Test
    void theRelaySendsThatClustersSecretRequestsToTheAuditStep() throws Exception {
        Path relayLog = chain.dir.resolve("relay-app.log");

        kubectl.run("get", "pods", "-n", "default").ok();
        kubectl.run("get", "secrets", "-n", "default").ok();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(auditLines(relayLog))
                        .anyMatch(line -> line.contains("user=" + Chain.OWNER + " cluster=" + chain.cluster
                                + " GET /clusters/" + chain.cluster + "/api/v1/namespaces/default/secrets")));
        assertThat(auditLines(relayLog)).noneMatch(line -> line.contains("/pods"));
    }

    @Test
    void theProxyAddsItsSuffixToKubectlsUserAgent() throws Exception {
        apiserver.clearRecords();

        kubectl.run("get", "configmaps", "-n", "default").ok();

        RecordedRequest list = apiserver.awaitRequest(
                r -> r.path().equals("/api/v1/namespaces/default/configmaps"), Duration.ofSeconds(10));
        assertThat(list.header("User-Agent"))
                .hasValueSatisfying(
                        agent -> assertThat(agent).startsWith("kubectl").endsWith(" corp-ci/1.0"));
    }

    @Test
    void aBrokenRouteFileStopsTheAgentAtStartUpNamingTheFileAndLine() throws Exception {
        Path dir = Files.createTempDirectory("cc-broken-routes-");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                - route:
                    from:
                      uri: "direct:agent-requests-extra-steps"
                      steps:
                        - process: {ref: authenticat}
                """);

        Process agent = chain.launchAgent("broken-agent", Map.of("AGENT_ROUTES_DIR", dir.toString()));

        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("the agent stops").isTrue();
        assertThat(agent.exitValue()).isNotZero();
        String log = Files.readString(chain.dir.resolve("broken-agent.log"));
        assertThat(log)
                .contains(
                        "ERROR",
                        "agent cannot start: " + broken + ", line 5: a route without an id names step authenticat, "
                                + "which is not a bean here; the steps are: authenticate, freshHeaders, impersonate, refuseClientImpersonation");
        assertThat(log).as("one line, no stack trace").doesNotContain("\tat dev.clusterconnect");
    }

    @Test
    void theDocumentShowsTheShippedHopsAndTheExamplesAsTheyAre() throws Exception {
        for (String hop : java.util.List.of("agent.camel.yaml", "relay.camel.yaml", "proxy.camel.yaml")) {
            try (var shipped = YamlRouteFilesTest.class.getResourceAsStream("/clusterconnect/routes/" + hop)) {
                assertThat(DocBlocks.block("yaml-routes.md", hop))
                        .as(hop)
                        .isEqualTo(new String(shipped.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try (var examples = Files.list(EXAMPLES)) {
            for (Path example : examples.toList()) {
                String name = example.getFileName().toString();
                assertThat(DocBlocks.block("yaml-routes.md", name)).as(name).isEqualTo(Files.readString(example));
            }
        }
    }

    private static java.util.List<String> auditLines(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream()
                .filter(line -> line.contains("secret access:"))
                .toList();
    }
}
