package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prometheus metrics after a scenario: counts by hop, verb, status and cluster, bytes, refusals by reason, no user or path. */
class MetricsTest {

    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice", "dev");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void aScenarioShowsUpInTheMetricsWithoutUserOrPathLabels() throws Exception {
        chain.kubectl().run("get", "configmaps").ok();
        chain.useToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.");
        chain.kubectl().run("get", "configmaps");
        chain.useToken(chain.issuer.token("alice", "dev"));

        String metrics = scrape();
        assertThat(metrics)
                .containsPattern(
                        "clusterconnect_requests_total\\{hop=\"relay-clients\",status=\"2xx\",verb=\"read\"} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "clusterconnect_requests_total\\{hop=\"agent-requests\",status=\"2xx\",verb=\"read\"} [1-9]");
        assertThat(metrics).containsPattern("clusterconnect_authentication_failures_total\\{reason=\"[a-z_]+\"} [1-9]");
        assertThat(metrics).containsPattern("clusterconnect_tunnels_connected\\{hop=\"relay-clients\"} 1");
        assertThat(metrics).contains("clusterconnect_request_duration_seconds_bucket");
        assertThat(metrics)
                .containsPattern("clusterconnect_cluster_requests_total\\{cluster=\"" + chain.clusterId + "\"} [1-9]");
        assertThat(metrics)
                .containsPattern(
                        "clusterconnect_bytes_total\\{cluster=\"" + chain.clusterId + "\",direction=\"out\"} [1-9]");
        assertThat(metrics).doesNotContain("alice").doesNotContain("configmaps");
    }

    private static String scrape() throws Exception {
        int port = ((KubeServerEndpoint)
                        chain.relay.getCamelContext().getRoute("relay-health").getEndpoint())
                .boundPort();
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
