package dev.clusterconnect.e2e;

import static org.awaitility.Awaitility.await;

import dev.clusterconnect.routes.component.kubeserver.KubeServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The proxy is ready only while the relay answers. */
class ProxyReadinessTest {

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
    void theProxyIsNotReadyWhileTheRelayIsGoneAndIsAgainWhenItIsBack() throws Exception {
        // The probe never waits for the relay: it says no until its first check has answered.
        await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 200);
        chain.relay.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 503);
        chain.restartRelay();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 200);
    }

    private static int ready() throws Exception {
        int port = ((KubeServerEndpoint)
                        chain.proxy.getCamelContext().getRoute("proxy-health").getEndpoint())
                .boundPort();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
