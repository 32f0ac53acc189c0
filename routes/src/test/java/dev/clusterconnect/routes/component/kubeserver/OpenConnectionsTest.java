package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy's connections gauge reads this: what is open now, so a connection that closes stops counting. */
class OpenConnectionsTest {

    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void countsTheConnectionsOpenNowAndForgetsClosedOnes() throws Exception {
        KubeServerEndpoint endpoint = serve();
        assertThat(endpoint.openConnections()).isZero();

        try (Socket first = new Socket("127.0.0.1", endpoint.boundPort());
                Socket second = new Socket("127.0.0.1", endpoint.boundPort())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openConnections() == 2);
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openConnections() == 1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.openConnections() == 0);
    }

    private KubeServerEndpoint serve() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:0/").routeId("counted").setBody(constant("ok"));
            }
        });
        camel.start();
        return (KubeServerEndpoint) camel.getRoute("counted").getEndpoint();
    }
}
