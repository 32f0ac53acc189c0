package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import java.io.IOException;
import java.net.ServerSocket;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route with {@code hostDomain} takes every request for a host name directly under that domain,
 * whatever its path: the relay's clusters each have a host name there, so that kubectl get --raw,
 * which drops the server URL's path, still reaches the cluster and never the relay's own routes.
 */
class HostDomainTest {

    private DefaultCamelContext camel;
    private int port;

    @BeforeEach
    void serve() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:" + port + "/clusters?hostDomain=k8s.example.test")
                        .routeId("clusters")
                        .setBody(simple("clusters ${header." + ClusterConnectHeaders.PATH + "}"));
                from("kubeserver:127.0.0.1:" + port + "/")
                        .routeId("own")
                        .setBody(simple("own ${header." + ClusterConnectHeaders.PATH + "}"));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aHostDirectlyUnderTheDomainGoesToItsRouteWhateverThePath() throws Exception {
        assertThat(get("c0ffee.k8s.example.test", "/version")).isEqualTo("clusters /version");
        assertThat(get("c0ffee.k8s.example.test:443", "/api/v1/namespaces")).isEqualTo("clusters /api/v1/namespaces");
        assertThat(get("C0FFEE.K8S.Example.TEST", "/readyz")).isEqualTo("clusters /readyz");
    }

    @Test
    void otherHostsGoByPath() throws Exception {
        assertThat(get("a.b.k8s.example.test", "/version")).as("two labels").isEqualTo("own /version");
        assertThat(get("k8s.example.test", "/version")).as("the domain itself").isEqualTo("own /version");
        assertThat(get("evil-k8s.example.test", "/version")).as("a look-alike").isEqualTo("own /version");
        assertThat(get("127.0.0.1:" + port, "/version")).isEqualTo("own /version");
        assertThat(get("127.0.0.1:" + port, "/clusters/x/version")).isEqualTo("clusters /clusters/x/version");
    }

    private String get(String host, String path) throws IOException {
        String answer = PlainHttp.get(port, host, path);
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
