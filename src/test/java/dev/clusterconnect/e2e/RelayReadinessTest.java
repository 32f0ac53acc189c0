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

/** The relay is ready only while its database answers. */
class RelayReadinessTest {

    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void theRelayIsNotReadyOnceItsDatabaseIsGone() throws Exception {
        assertThat(ready().statusCode()).isEqualTo(200);
        chain.relayDatabase().close();
        HttpResponse<String> notReady = ready();
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("relay is not ready");
    }

    private static HttpResponse<String> ready() throws Exception {
        int port = ((KubeServerEndpoint)
                        chain.relay.getCamelContext().getRoute("relay-health").getEndpoint())
                .boundPort();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
