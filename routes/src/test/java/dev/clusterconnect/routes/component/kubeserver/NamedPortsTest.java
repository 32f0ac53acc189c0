package dev.clusterconnect.routes.component.kubeserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route listens on more ports than its own, each named ({@code namedPorts}): the proxy serves
 * each cluster on a port of its own, because clients such as {@code kubectl get --raw} drop the
 * path of the kubeconfig's server URL but never its port.
 */
class NamedPortsTest {

    private DefaultCamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    @Test
    void aRequestOnANamedPortCarriesItsNameAndOneOnTheRoutesOwnPortNone() throws Exception {
        KubeServerEndpoint endpoint = serve("alpha=0,beta=0");
        Map<String, Integer> named = endpoint.boundNamedPorts();

        assertThat(named).containsOnlyKeys("alpha", "beta");
        assertThat(named.values()).doesNotContain(endpoint.boundPort()).doesNotHaveDuplicates();
        assertThat(get(named.get("alpha"))).endsWith("\r\n\r\nport alpha, path /version");
        assertThat(get(named.get("beta"))).endsWith("\r\n\r\nport beta, path /version");
        assertThat(get(endpoint.boundPort())).endsWith("\r\n\r\nport none, path /version");
    }

    @Test
    void theNamedPortsCloseWithTheRoute() throws Exception {
        KubeServerEndpoint endpoint = serve("alpha=0");
        int alpha = endpoint.boundNamedPorts().get("alpha");

        camel.getRouteController().stopRoute("named");

        assertThatThrownBy(() -> get(alpha)).isInstanceOf(IOException.class);
        assertThat(endpoint.boundNamedPorts()).isEmpty();
    }

    @Test
    void aNamedPortInUseClosesTheRoutesOtherPorts() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> serve("alpha=0,beta=" + taken.getLocalPort()))
                    .hasStackTraceContaining("already in use");
            assertThat(camel.getComponent("kubeserver", KubeServerComponent.class)
                            .boundPort("127.0.0.1", 0))
                    .isEmpty();
        }
    }

    @Test
    void aMalformedListStopsTheRouteNamingTheOption() {
        for (String bad : new String[] {"alpha", "alpha=x", "=1", "alpha=0,alpha=0", "alpha=70000"}) {
            assertThatThrownBy(() -> serve(bad)).as(bad).hasStackTraceContaining("namedPorts wants name=port pairs");
            camel.stop();
        }
    }

    private KubeServerEndpoint serve(String namedPorts) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kubeserver:127.0.0.1:0/?namedPorts=" + namedPorts)
                        .routeId("named")
                        .process(exchange -> {
                            String name = exchange.getMessage()
                                    .getHeader(ClusterConnectHeaders.PORT_NAME, "none", String.class);
                            exchange.getMessage()
                                    .setBody("port " + name + ", path "
                                            + exchange.getMessage().getHeader(ClusterConnectHeaders.PATH));
                        });
            }
        });
        camel.start();
        return (KubeServerEndpoint) camel.getRoute("named").getEndpoint();
    }

    private static String get(int port) throws IOException {
        return PlainHttp.get(port, "server", "/version");
    }
}
