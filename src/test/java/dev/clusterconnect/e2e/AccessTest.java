package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may reach which cluster, decided at the relay and seen through the real kubectl: the owner
 * and granted users or groups get through, anyone else gets the relay's Forbidden Status before
 * anything enters a tunnel; grants are managed through the relay's API; every request is audited.
 */
class AccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Chain chain;
    private static HttpClient api;

    @BeforeAll
    static void start() throws Exception {
        chain = Chain.start(Chain.OWNER, "dev", "ops");
        api = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(LargeListInBoundedMemoryTest.trusting(Files.readString(chain.dir.resolve("relay-ca.crt"))))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (chain != null) {
            chain.close();
        }
    }

    @AfterEach
    void backToTheOwner() throws Exception {
        chain.useToken(chain.issuer.token(Chain.OWNER, "dev", "ops"));
    }

    @Test
    void aUserAllowedOnOneClusterIsForbiddenOnAnotherWithTheRelaysStatusInKubectl() throws Exception {
        String other = chain.relayDatabase().clusters().register("zoe", "other").id();
        assertThat(chain.kubectl().run("get", "pods").exit()).isZero();

        // --raw on the proxy's own port, where the path names the cluster: discovery would hide the
        // Status message behind "unknown"
        var result = chain.kubectl()
                .run(
                        "--server",
                        chain.proxyOwnUrl(),
                        "get",
                        "--raw",
                        "/clusters/" + other + "/api/v1/namespaces/default/pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Error from server (Forbidden): user alice may not reach cluster " + other);
    }

    @Test
    void anUnknownClusterIsNotFound() throws Exception {
        var result = chain.kubectl()
                .run(
                        "--server",
                        chain.proxyOwnUrl(),
                        "get",
                        "--raw",
                        "/clusters/NoSuchCluster0000000000/api/v1/namespaces/default/pods");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("Error from server (NotFound): cluster NoSuchCluster0000000000 not found");
    }

    /** The relay's 2 s bound on remembered access decisions, with room for a loaded machine. */
    private static final Duration ACCESS_BOUND = Duration.ofSeconds(8);

    @Test
    void aGroupGrantFromTheApiLetsItsMembersInAndItsRevocationShutsThemOut() throws Exception {
        String alice = chain.issuer.token(Chain.OWNER, "dev", "ops");
        chain.useToken(chain.issuer.token("carol", "sre"));
        assertThat(chain.kubectl().run("get", "pods").err())
                .contains("user carol may not reach cluster " + chain.clusterId);

        // On a real cluster only the group is bound too: carol gets in through her impersonated group.
        chain.allowOnCluster("Group", "sre");
        assertThat(call(
                                "POST",
                                "/api/v1/clusters/" + chain.clusterId + "/grants",
                                alice,
                                "{\"kind\":\"GROUP\",\"subject\":\"sre\"}")
                        .statusCode())
                .isEqualTo(201);
        // Access decisions are remembered for at most 2 s (docs/relay-api.md): carol's refusal above
        // may still answer until then.
        await().atMost(ACCESS_BOUND)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> chain.kubectl().run("get", "pods").exit() == 0);
        if (chain.hasSandbox()) {
            assertThat(chain.apiserver
                            .awaitRequest(
                                    r -> r.path().endsWith("/pods")
                                            && r.headers("Impersonate-User").contains("carol"),
                                    Duration.ofSeconds(5))
                            .headers("Impersonate-Group"))
                    .containsExactly("sre");
        }

        assertThat(call("DELETE", "/api/v1/clusters/" + chain.clusterId + "/grants/GROUP/sre", alice, null)
                        .statusCode())
                .isEqualTo(200);
        await().atMost(ACCESS_BOUND)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> chain.kubectl().run("get", "pods").exit() != 0);
        var refused = chain.kubectl().run("get", "pods");
        assertThat(refused.err())
                .contains("Error from server (Forbidden): user carol may not reach cluster " + chain.clusterId);
    }

    @Test
    void theKubeconfigFromTheApiNamesTheRelayAndTheExecPlugin() throws Exception {
        HttpResponse<String> answer = call(
                "GET", "/api/v1/clusters/" + chain.clusterId + "/kubeconfig", chain.issuer.token(Chain.OWNER), null);
        assertThat(answer.statusCode()).isEqualTo(200);
        Path file = chain.dir.resolve("api.kubeconfig");
        Files.writeString(file, answer.body());
        Kubectl kubectl = new Kubectl(Kubectl.DEFAULT, file);
        assertThat(kubectl.run("config", "view", "-o", "jsonpath={.clusters[0].cluster.server}")
                        .ok()
                        .out())
                .isEqualTo("https://localhost/clusters/" + chain.clusterId);
        assertThat(kubectl.run(
                                "config",
                                "view",
                                "-o",
                                "jsonpath={.users[0].user.exec.command} {.users[0].user.exec.args}")
                        .ok()
                        .out())
                .isEqualTo("clusterconnect [\"token\",\"--cluster\",\"" + chain.clusterId + "\"]");
        assertThat(kubectl.run(
                                "config",
                                "view",
                                "--raw",
                                "-o",
                                "jsonpath={.clusters[0].cluster.certificate-authority-data}")
                        .ok()
                        .out())
                .isNotBlank();
    }

    @Test
    void eachRequestIsAuditedWithCallerClusterStatusAndSizesButNeverTheToken() throws Exception {
        String token = chain.issuer.token(Chain.OWNER, "dev", "ops");
        chain.useToken(token);
        chain.kubectl().run("get", "configmaps", "-n", chain.namespace()).ok();
        String path = "/api/v1/namespaces/" + chain.namespace() + "/configmaps";
        Path audit = chain.dir.resolve("relay-audit.log");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readAllLines(audit).stream().anyMatch(l -> l.contains(path)));
        JsonNode line = JSON.readTree(Files.readAllLines(audit).stream()
                .filter(l -> l.contains(path))
                .reduce((a, b) -> b)
                .orElseThrow());
        assertThat(line.get("caller").asText()).isEqualTo(Chain.OWNER);
        assertThat(line.get("cluster").asText()).isEqualTo(chain.clusterId);
        assertThat(line.get("verb").asText()).isEqualTo("GET");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("bytesOut").asLong()).isPositive();
        assertThat(line.get("bytesIn").asLong()).isZero();
        assertThat(line.get("durationMs").asLong()).isNotNegative();
        assertThat(line.get("correlationId").asText()).isNotBlank();

        String all = Files.readString(audit);
        assertThat(all).doesNotContain(token).doesNotContain("Bearer");
        for (String segment : token.split("\\.")) {
            assertThat(all).doesNotContain(segment);
        }
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        int relayPort = Chain.boundPort(chain.relay, "relay-clients");
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + relayPort + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return api.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
