package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clusterconnect.routes.tls.JdkTls;
import dev.clusterconnect.routes.tls.PemFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster's status names the replica that holds its tunnel, asked of any replica; when the
 * agent goes, every replica says it is disconnected.
 */
class ReplicaStatusTest {

    private static Chain chain;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        chain = Chain.startForwarded("alice");
        client = HttpClient.newBuilder()
                .sslContext(JdkTls.trusting(PemFiles.readCertificates(chain.dir.resolve("relay-ca.crt"))))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        chain.close();
    }

    @Test
    void theEntryReplicaNamesTheHolderAndLearnsWhenTheAgentLeaves() throws Exception {
        JsonNode cluster = cluster();
        assertThat(cluster.get("connected").asBoolean()).isTrue();
        assertThat(cluster.get("relays")).hasSize(1);
        assertThat(cluster.get("relays").get(0).asText()).isEqualTo("relay-holder");

        chain.agent.stop();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> !cluster().get("connected").asBoolean());
        assertThat(cluster().has("relays")).isFalse();
        // The store follows a moment later (written off the event loop).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !chain.relayDatabase()
                        .clusters()
                        .status(chain.clusterId)
                        .orElseThrow()
                        .connected());
    }

    private static JsonNode cluster() throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(
                                "https://127.0.0.1:" + chain.relayPort + "/api/v1/clusters/" + chain.clusterId))
                        .header("Authorization", "Bearer " + chain.issuer.token("alice"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
