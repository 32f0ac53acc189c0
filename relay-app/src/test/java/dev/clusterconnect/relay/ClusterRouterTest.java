package dev.clusterconnect.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clusterconnect.relay.api.PublicEndpoint;
import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestHead;
import dev.clusterconnect.routes.status.KubeStatusException;
import dev.clusterconnect.routes.stream.BytesSource;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.URI;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The relay finds a request's cluster by its host name under relay.cluster-domain, whatever the
 * path (kubectl get --raw keeps the host and drops the path), or by /clusters/<id>.
 */
class ClusterRouterTest {

    private static final String ID = "fQTLzYOd9-Kua0zzOGWkZA";

    @Test
    void aClusterHostNameNamesTheClusterAndTheWholeTargetIsTheApiserversPath() {
        String host = ClusterHosts.label(ID) + ".k8s.relay.example.com";

        Exchange exchange =
                route(new ClusterRouter("k8s.relay.example.com"), host + ":443", "/api/v1/namespaces?limit=5");

        assertThat(exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID))
                .isEqualTo(ID);
        assertThat(exchange.getMessage().getBody(HttpCall.class).head().target())
                .isEqualTo("/api/v1/namespaces?limit=5");
        assertThat(route(
                                new ClusterRouter("k8s.relay.example.com"),
                                host.toUpperCase(java.util.Locale.ROOT),
                                "/version")
                        .getMessage()
                        .getHeader(ClusterConnectHeaders.CLUSTER_ID))
                .as("host names have no case")
                .isEqualTo(ID);
    }

    @Test
    void aHostNameUnderTheDomainThatNamesNoClusterIsNotFound() {
        for (String label : new String[] {"zz", "abc", "2f2e2e", "41".repeat(32)}) {
            assertThatThrownBy(() -> route(
                            new ClusterRouter("k8s.relay.example.com"), label + ".k8s.relay.example.com", "/version"))
                    .as(label)
                    .isInstanceOfSatisfying(
                            KubeStatusException.class, e -> assertThat(e.code()).isEqualTo(404))
                    .hasMessageContaining("no cluster has the host name " + label + ".k8s.relay.example.com");
        }
    }

    @Test
    void otherHostsNameTheClusterInThePathAsBefore() {
        Exchange exchange =
                route(new ClusterRouter("k8s.relay.example.com"), "relay.example.com", "/clusters/" + ID + "/version");

        assertThat(exchange.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID))
                .isEqualTo(ID);
        assertThat(exchange.getMessage().getBody(HttpCall.class).head().target())
                .isEqualTo("/version");
        Exchange withoutDomain = route(
                new ClusterRouter(), ClusterHosts.label(ID) + ".k8s.relay.example.com", "/clusters/other/version");
        assertThat(withoutDomain.getMessage().getHeader(ClusterConnectHeaders.CLUSTER_ID))
                .isEqualTo("other");
    }

    @Test
    void kubeconfigsNameTheClusterHostOnThePublicPortWhenADomainIsSet() {
        URI url = URI.create("https://relay.example.com:8443");
        assertThat(new PublicEndpoint(url, Optional.empty(), Optional.of("k8s.relay.example.com")).clusterServer(ID))
                .isEqualTo("https://" + ClusterHosts.label(ID) + ".k8s.relay.example.com:8443");
        assertThat(new PublicEndpoint(
                                URI.create("https://relay.example.com"),
                                Optional.empty(),
                                Optional.of("k8s.example.com"))
                        .clusterServer(ID))
                .isEqualTo("https://" + ClusterHosts.label(ID) + ".k8s.example.com");
        assertThat(new PublicEndpoint(url, Optional.empty()).clusterServer(ID)).isEqualTo(url + "/clusters/" + ID);
        assertThat(ClusterHosts.label(ID)).hasSizeLessThanOrEqualTo(63).matches("[0-9a-f]+");
        assertThat(ClusterHosts.clusterId(ClusterHosts.label(ID))).contains(ID);
    }

    @Test
    void theDomainMustBeALowerCaseDnsName() {
        assertThat(ClusterHosts.isDomain("k8s.relay.example.com")).isTrue();
        for (String bad :
                new String[] {"localhost", "K8s.example.com", "-a.example.com", "a..b", "*.example.com", "a.b/c"}) {
            assertThat(ClusterHosts.isDomain(bad)).as(bad).isFalse();
        }
    }

    private static Exchange route(ClusterRouter router, String host, String target) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Host", host);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage()
                .setBody(new HttpCall(
                        new RequestHead("GET", target, headers), new BytesSource(new byte[0]), null, "test"));
        router.process(exchange);
        return exchange;
    }
}
