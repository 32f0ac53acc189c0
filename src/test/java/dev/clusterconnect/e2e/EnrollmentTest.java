package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.clusterconnect.agent.identity.AgentIdentity;
import dev.clusterconnect.agent.identity.StoredKey;
import dev.clusterconnect.relay.store.AgentKey;
import dev.clusterconnect.relay.store.ClusterStatus;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.identity.AgentJwt;
import dev.clusterconnect.routes.tls.JdkTls;
import dev.clusterconnect.routes.tls.PemFiles;
import dev.clusterconnect.sandbox.store.ResourceCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Agent onboarding and identity through the real relay and agent: one-time bootstrap tokens, keys
 * bound to their cluster, rotation, revocation, a key kept in a Kubernetes Secret, and a relay
 * restart on its H2 file. Each test that changes the chain's own agent key runs on a cluster of its
 * own so the order of tests does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrollmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_NAME = "clusterconnect-agent-key";

    private Chain chain;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        chain = Chain.start("alice", "developers");
        http = HttpClient.newBuilder()
                .sslContext(JdkTls.trusting(PemFiles.readCertificates(chain.dir.resolve("relay-ca.crt"))))
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void theAgentEnrolsOnceAndItsBootstrapTokenCannotBeUsedAgain() throws Exception {
        String usedToken = Files.readString(chain.dir.resolve("bootstrap-token"));

        HttpResponse<String> again = enroll(chain.clusterId, usedToken, publicJwk(newKey()));

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("used already").doesNotContain(usedToken);
        assertThat(db().agentKeys().listActive(chain.clusterId)).hasSize(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> db().clusters()
                        .status(chain.clusterId)
                        .map(ClusterStatus::connected)
                        .orElse(false));
        ClusterStatus status = db().clusters().status(chain.clusterId).orElseThrow();
        assertThat(status.kubernetesVersion()).isEqualTo(chain.kubernetesVersion());
        assertThat(status.agentVersion()).isNotBlank();
    }

    @Test
    void anExpiredOrUnknownBootstrapTokenIsRefused() throws Exception {
        Path tokenFile = chain.dir.resolve("short-lived-token");
        String clusterId = Chain.registerCluster(chain.relay, "short-lived", tokenFile, Duration.ofSeconds(1));
        Instant expiry = Instant.now().plusSeconds(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expiry.plusMillis(200)));

        HttpResponse<String> expired = enroll(clusterId, Files.readString(tokenFile), publicJwk(newKey()));
        HttpResponse<String> unknown = enroll(clusterId, "x".repeat(43), publicJwk(newKey()));

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("never issued");
        assertThat(db().agentKeys().list(clusterId)).isEmpty();
    }

    @Test
    void aKeyWithPrivateMembersIsRefusedWithoutBurningTheToken() throws Exception {
        Path tokenFile = chain.dir.resolve("private-jwk-token");
        String clusterId = Chain.registerCluster(chain.relay, "private-jwk", tokenFile, Duration.ofMinutes(5));
        ECKey key = newKey();

        HttpResponse<String> refused =
                enroll(clusterId, Files.readString(tokenFile), JSON.readTree(key.toJSONString()));
        HttpResponse<String> accepted = enroll(clusterId, Files.readString(tokenFile), publicJwk(key));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body())
                .contains("private key members")
                .doesNotContain(key.getD().toString());
        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(accepted.body()).path("kid").asText()).isEqualTo(key.getKeyID());
    }

    @Test
    void anAgentOfOneClusterIsRefusedWhenItNamesAnother() throws Exception {
        String otherCluster =
                Chain.registerCluster(chain.relay, "other", chain.dir.resolve("other-token"), Duration.ofMinutes(5));
        ECKey ownKey = StoredKey.parse(Files.readString(chain.dir.resolve("agent-key.json")))
                .key();
        String ownToken = AgentJwt.mint(ownKey, chain.clusterId, Instant.now(), AgentJwt.LIFETIME);

        HttpResponse<String> crossed = connect(otherCluster, ownToken);
        HttpResponse<String> own = connect(chain.clusterId, ownToken);

        assertThat(crossed.statusCode()).isEqualTo(403);
        assertThat(crossed.body())
                .contains("agent of cluster " + chain.clusterId + " may not act for cluster " + otherCluster);
        // Past authentication, a plain GET is refused only for not being a WebSocket upgrade.
        assertThat(own.statusCode()).isEqualTo(426);
    }

    @Test
    void aRotatedKeyWorksAndTheOldOneIsRefused() throws Exception {
        Path dir = chain.dir;
        String clusterId =
                Chain.registerCluster(chain.relay, "rotating", dir.resolve("rotating-token"), Duration.ofMinutes(5));
        Main agent = Chain.agent(dir, chain.relayPort, clusterId, chain.issuer);
        agent.addOverrideProperty(
                "agent.key.file", dir.resolve("rotating-key.json").toString());
        agent.addOverrideProperty(
                "agent.relay.bootstrap-token-file",
                dir.resolve("rotating-token").toString());
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(clusterId));
            AgentIdentity identity =
                    agent.getCamelContext().getRegistry().lookupByNameAndType("agentIdentity", AgentIdentity.class);
            ECKey oldKey = StoredKey.parse(Files.readString(dir.resolve("rotating-key.json")))
                    .key();

            identity.rotate();

            assertThat(identity.keyId()).isNotEqualTo(oldKey.getKeyID());
            // The relay names keys by their RFC 7638 thumbprint; the agent's kid is the same.
            assertThat(db().agentKeys().findActive(clusterId, identity.keyId()).map(key -> thumbprint(key.jwk())))
                    .contains(identity.keyId());
            assertThat(connect(clusterId, AgentJwt.mint(oldKey, clusterId, Instant.now(), AgentJwt.LIFETIME))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(connect(clusterId, identity.authorization().substring(7)).statusCode())
                    .isEqualTo(426);
            assertThat(StoredKey.parse(Files.readString(dir.resolve("rotating-key.json")))
                            .key()
                            .getKeyID())
                    .isEqualTo(identity.keyId());
            assertThat(db().agentKeys().listActive(clusterId))
                    .extracting(AgentKey::kid)
                    .containsExactly(identity.keyId());
        } finally {
            agent.stop();
        }
    }

    @Test
    void theOwnerRevokesAnAgentKeyThroughTheApiAndItsTunnelIsClosed() throws Exception {
        Path dir = chain.dir;
        String clusterId =
                Chain.registerCluster(chain.relay, "revoked", dir.resolve("revoked-token"), Duration.ofMinutes(5));
        Main agent = Chain.agent(dir, chain.relayPort, clusterId, chain.issuer);
        agent.addOverrideProperty(
                "agent.key.file", dir.resolve("revoked-key.json").toString());
        agent.addOverrideProperty(
                "agent.relay.bootstrap-token-file", dir.resolve("revoked-token").toString());
        agent.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(clusterId));
            AgentIdentity identity =
                    agent.getCamelContext().getRegistry().lookupByNameAndType("agentIdentity", AgentIdentity.class);

            // The owner lists the cluster's agent keys and revokes the agent's through the API.
            String owner = "Bearer " + chain.issuer.token(Chain.OWNER);
            String keys = http.send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + chain.relayPort
                                            + "/api/v1/clusters/" + clusterId + "/agent-keys"))
                                    .header("Authorization", owner)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(keys).contains(identity.keyId()).doesNotContain("\"d\"");
            HttpResponse<String> revoked = http.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + chain.relayPort + "/api/v1/clusters/"
                                    + clusterId + "/agent-keys/" + identity.keyId()))
                            .header("Authorization", owner)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            HttpResponse<String> notOwner = http.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + chain.relayPort + "/api/v1/clusters/"
                                    + clusterId + "/agent-keys/" + identity.keyId()))
                            .header("Authorization", "Bearer " + chain.issuer.token("bob"))
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notOwner.statusCode()).isIn(403, 404);
            await().atMost(Duration.ofSeconds(10)).until(() -> !chain.agents().isConnected(clusterId));
            HttpResponse<String> refused =
                    connect(clusterId, identity.authorization().substring(7));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("revoked");
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            !db().clusters().status(clusterId).orElseThrow().connected());
        } finally {
            agent.stop();
        }
    }

    @Test
    void aKeyKeptInASecretIsReusedByARestartedAgentWithoutABootstrapToken() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(chain.hasSandbox(), "needs the sandbox's Secret store");
        Path dir = chain.dir;
        String clusterId =
                Chain.registerCluster(chain.relay, "secret-kept", dir.resolve("secret-token"), Duration.ofMinutes(5));
        // The Helm chart creates the Secret empty, with its ownership metadata: both must survive.
        chain.apiserver.store().create((com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree("""
                {"apiVersion":"v1","kind":"Secret","type":"Opaque","metadata":{"name":"%s","namespace":"default",
                 "labels":{"app.kubernetes.io/managed-by":"Helm"},"annotations":{"meta.helm.sh/release-name":"cc"}}}
                """.formatted(SECRET_NAME)));
        Main first = secretAgent(clusterId, dir.resolve("secret-token"));
        first.start();
        String kid;
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(clusterId));
            kid = first.getCamelContext()
                    .getRegistry()
                    .lookupByNameAndType("agentIdentity", AgentIdentity.class)
                    .keyId();
        } finally {
            first.stop();
        }
        var secret = chain.apiserver.store().get(ResourceCatalog.SECRETS, "default", SECRET_NAME);
        assertThat(secret.path("data").has("agent-key.json")).isTrue();
        assertThat(secret.path("metadata")
                        .path("annotations")
                        .path("meta.helm.sh/release-name")
                        .asText())
                .isEqualTo("cc");
        assertThat(secret.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/managed-by")
                        .asText())
                .isEqualTo("Helm");
        await().atMost(Duration.ofSeconds(10)).until(() -> !chain.agents().isConnected(clusterId));

        Main second = secretAgent(clusterId, dir.resolve("no-such-token-file"));
        second.start();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> chain.agents().isConnected(clusterId));
            assertThat(second.getCamelContext()
                            .getRegistry()
                            .lookupByNameAndType("agentIdentity", AgentIdentity.class)
                            .keyId())
                    .isEqualTo(kid);
            assertThat(db().agentKeys().list(clusterId))
                    .extracting(AgentKey::kid)
                    .containsExactly(kid);
        } finally {
            second.stop();
        }
    }

    @Test
    void afterARelayRestartTheAgentReconnectsWithItsKeyAndNothingIsLost() throws Exception {
        List<AgentKey> keysBefore = db().agentKeys().list(chain.clusterId);

        chain.restartRelay();

        await().atMost(Duration.ofSeconds(30)).until(() -> chain.agents().isConnected(chain.clusterId));
        assertThat(db().agentKeys().list(chain.clusterId)).isEqualTo(keysBefore);
        assertThat(db().clusters().find(chain.clusterId)).isPresent();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        db().clusters().status(chain.clusterId).orElseThrow().connected());
        Kubectl.Result pods = chain.kubectl().run("get", "pods", "-o", "name");
        assertThat(pods.exit()).as(pods.err()).isZero();
    }

    private Main secretAgent(String clusterId, Path bootstrapTokenFile) {
        Main agent = Chain.agent(chain.dir, chain.relayPort, clusterId, chain.issuer);
        agent.addOverrideProperty("agent.key.secret-name", SECRET_NAME);
        agent.addOverrideProperty("agent.key.secret-namespace", "default");
        agent.addOverrideProperty("agent.relay.bootstrap-token-file", bootstrapTokenFile.toString());
        return agent;
    }

    private RelayDatabase db() {
        return Chain.database(chain.relay);
    }

    private HttpResponse<String> enroll(String clusterId, String token, com.fasterxml.jackson.databind.JsonNode jwk)
            throws Exception {
        ObjectNode body = JSON.createObjectNode().put("clusterId", clusterId).put("bootstrapToken", token.trim());
        body.set("publicKey", jwk);
        return http.send(
                HttpRequest.newBuilder(relay("/agent/v1/enroll"))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The tunnel's handshake request without the WebSocket upgrade: enough to see the authentication decision. */
    private HttpResponse<String> connect(String clusterId, String jwt) throws Exception {
        return http.send(
                HttpRequest.newBuilder(relay("/agent/v1/connect"))
                        .GET()
                        .header("Authorization", "Bearer " + jwt)
                        .header("X-Clusterconnect-Cluster", clusterId)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI relay(String path) {
        return URI.create("https://127.0.0.1:" + chain.relayPort + path);
    }

    private static String thumbprint(String publicJwk) {
        try {
            return ECKey.parse(publicJwk).computeThumbprint().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
    }

    private static com.fasterxml.jackson.databind.JsonNode publicJwk(ECKey key) throws Exception {
        return JSON.readTree(key.toPublicJWK().toJSONString());
    }
}
