package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probes the Helm charts point at: live while serving, ready only while able to work. */
class HealthTest {

    private static Chain chain;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void theAgentIsReadyOnlyWhileItsTunnelIsUp() throws Exception {
        assertThat(get(chain.agent, "agent", "/healthz/live").statusCode()).isEqualTo(200);
        // The probe never waits for the apiserver: it says no until its first check has answered.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get(chain.agent, "agent", "/healthz/ready").statusCode() == 200);
        assertThat(get(chain.relay, "relay", "/healthz/ready").body()).isEqualTo("ready");

        chain.relay.stop();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> get(chain.agent, "agent", "/healthz/ready").statusCode() == 503);
        assertThat(get(chain.agent, "agent", "/healthz/ready").body())
                .contains("\"kind\":\"Status\"")
                .contains("agent is not ready");
        assertThat(get(chain.agent, "agent", "/healthz/live").statusCode()).isEqualTo(200);

        chain.restartRelay();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(chain.agent, "agent", "/healthz/ready").statusCode() == 200);
    }

    @Test
    void anUnknownHealthPathIs404() throws Exception {
        assertThat(get(chain.relay, "relay", "/healthz/other").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(Main app, String name, String path) throws Exception {
        int port = ((KubeServerEndpoint)
                        app.getCamelContext().getRoute(name + "-health").getEndpoint())
                .boundPort();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
