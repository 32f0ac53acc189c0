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

/** The agent is ready only while its apiserver answers, too. */
class AgentReadinessTest {

    private static Chain chain;

    @BeforeAll
    static void startChain() throws Exception {
        chain = Chain.start("alice");
        org.junit.jupiter.api.Assumptions.assumeTrue(chain.hasSandbox(), "stops the sandbox apiserver");
    }

    @AfterAll
    static void stopChain() throws Exception {
        chain.close();
    }

    @Test
    void theAgentIsNotReadyOnceItsApiserverStopsAnswering() throws Exception {
        // The probe never waits for the apiserver: it says no until its first check has answered.
        await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 200);
        chain.stopApiserver();
        await().atMost(Duration.ofSeconds(20)).until(() -> ready() == 503);
    }

    private static int ready() throws Exception {
        int port = ((KubeServerEndpoint)
                        chain.agent.getCamelContext().getRoute("agent-health").getEndpoint())
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
