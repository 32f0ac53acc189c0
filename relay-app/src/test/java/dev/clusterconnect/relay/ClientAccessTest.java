package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client route decides before anything enters a tunnel: 401 without a valid token, 404 for an
 * unknown cluster, 403 for a caller without a grant. An allowed request goes on to the tunnel step,
 * which (no agent being connected here) answers 503: proof it passed every check.
 */
class ClientAccessTest {

    @TempDir
    static Path dir;

    static TestIssuer issuer;
    static TestRelay relay;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer(dir);
        relay = TestRelay.start(dir, issuer, Map.of());
    }

    @AfterAll
    static void stop() {
        relay.close();
        issuer.close();
    }

    @Test
    void aRequestWithoutATokenIsRefusedWith401() throws Exception {
        TestRelay.Answer answer = relay.get("/clusters/anything/api/v1/pods", null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().get("kind").asText()).isEqualTo("Status");
    }

    @Test
    void aTokenOfAnUntrustedKindIsRefusedWith401EvenIfAServiceAccountCouldUseIt() throws Exception {
        assertThat(relay.get("/clusters/anything/api/v1/pods", "not-a-jwt-service-account-token")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void anUnknownClusterIs404() throws Exception {
        TestRelay.Answer answer = relay.get("/clusters/NoSuchCluster123/api/v1/pods", issuer.token("alice"));
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("message").asText()).contains("NoSuchCluster123");
    }

    @Test
    void theOwnerPassesAndAStrangerGets403NamingUserAndCluster() throws Exception {
        String id = relay.createCluster(issuer.token("alice"), "owned");
        TestRelay.Answer owner = relay.get("/clusters/" + id + "/api/v1/pods", issuer.token("alice"));
        assertThat(owner.status()).isEqualTo(503);
        assertThat(owner.json().get("message").asText()).contains("not connected");

        TestRelay.Answer stranger = relay.get("/clusters/" + id + "/api/v1/pods", issuer.token("mallory"));
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.json().get("reason").asText()).isEqualTo("Forbidden");
        assertThat(stranger.json().get("message").asText())
                .startsWith("user mallory may not reach cluster " + id + "; ")
                .contains("the token gave no groups");
    }

    @Test
    void aGroupGrantAdmitsItsMembersOnlyAndRevocationTakesEffectWithinTheCacheBound() throws Exception {
        String alice = issuer.token("alice");
        String id = relay.createCluster(alice, "shared");
        assertThat(relay.post("/api/v1/clusters/" + id + "/grants", alice, "{\"kind\":\"GROUP\",\"subject\":\"sre\"}")
                        .status())
                .isEqualTo(201);

        assertThat(relay.get("/clusters/" + id + "/api/v1/pods", issuer.token("carol", "sre"))
                        .status())
                .isEqualTo(503);
        assertThat(relay.get("/clusters/" + id + "/api/v1/pods", issuer.token("dave", "dev"))
                        .status())
                .isEqualTo(403);

        assertThat(relay.delete("/api/v1/clusters/" + id + "/grants/GROUP/sre", alice)
                        .status())
                .isEqualTo(200);
        // decisions are remembered for at most 2 s (AuthorizeCluster): the bound plus a margin
        String carol = issuer.token("carol", "sre");
        await().atMost(Duration.ofSeconds(4))
                .until(() ->
                        relay.get("/clusters/" + id + "/api/v1/pods", carol).status() == 403);
    }

    @Test
    void aDeletedClusterIsNotFoundWithinTheCacheBound() throws Exception {
        String alice = issuer.token("alice");
        String id = relay.createCluster(alice, "short-lived");
        assertThat(relay.get("/clusters/" + id + "/api/v1/pods", alice).status())
                .isEqualTo(503);

        assertThat(relay.delete("/api/v1/clusters/" + id, alice).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(4))
                .until(() ->
                        relay.get("/clusters/" + id + "/api/v1/pods", alice).status() == 404);
    }

    @Test
    void aNewGrantAdmitsWithinTheCacheBound() throws Exception {
        String alice = issuer.token("alice");
        String erin = issuer.token("erin");
        String id = relay.createCluster(alice, "granted-later");
        assertThat(relay.get("/clusters/" + id + "/api/v1/pods", erin).status()).isEqualTo(403);

        assertThat(relay.post("/api/v1/clusters/" + id + "/grants", alice, "{\"kind\":\"USER\",\"subject\":\"erin\"}")
                        .status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(4))
                .until(() -> relay.get("/clusters/" + id + "/api/v1/pods", erin).status() == 503);
    }

    @Test
    void everyRequestLeavesOneAuditLineWithItsFactsAndNoTrace_OfTheToken() throws Exception {
        String alice = issuer.token("alice");
        String mallory = issuer.token("mallory");
        String id = relay.createCluster(alice, "audited");
        relay.get("/clusters/" + id + "/api/v1/namespaces/default/pods?limit=5&token=secret-in-query", mallory);
        relay.get("/clusters/" + id + "/api/v1/namespaces?watch=1", alice);

        Path audit = dir.resolve("audit.log");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(audit).contains("/api/v1/namespaces?watch=1"));
        List<String> lines = Files.readAllLines(audit);
        String refused = lines.stream()
                .filter(l -> l.contains("/api/v1/namespaces/default/pods"))
                .findFirst()
                .orElseThrow();
        var refusedLine = TestRelay.JSON.readTree(refused);
        assertThat(refusedLine.get("caller").asText()).isEqualTo("mallory");
        assertThat(refusedLine.get("cluster").asText()).isEqualTo(id);
        assertThat(refusedLine.get("verb").asText()).isEqualTo("GET");
        assertThat(refusedLine.get("status").asInt()).isEqualTo(403);
        assertThat(refusedLine.get("path").asText()).doesNotContain("secret-in-query");
        assertThat(refusedLine.get("bytesOut").asLong()).isPositive();
        assertThat(refusedLine.get("durationMs").asLong()).isNotNegative();
        assertThat(refusedLine.get("correlationId").asText()).isNotBlank();
        assertThat(refusedLine.get("time").asText()).isNotBlank();

        String all = Files.readString(audit);
        for (String token : List.of(alice, mallory)) {
            assertThat(all).doesNotContain(token);
            for (String segment : token.split("\\.")) {
                assertThat(all).doesNotContain(segment);
            }
        }
        assertThat(all).doesNotContain("Bearer");
    }
}
