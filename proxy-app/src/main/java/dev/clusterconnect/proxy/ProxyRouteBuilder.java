package dev.clusterconnect.proxy;

import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.http.RequestIds;
import org.apache.camel.builder.RouteBuilder;

/** The proxy's hop: kubectl's requests on 127.0.0.1 go to the relay with the user's token. */
public final class ProxyRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        // Every client here is this machine's kubectl, from one loopback address: a per-address
        // cap would only cap kubectl (many parallel watches, k9s). The timeouts stay on.
        from("kubeserver:{{proxy.listen.host}}:{{proxy.listen.port}}?sslContext=#localTls&maxConnectionsPerAddress=0")
                .routeId("proxy-local")
                .process("userToken")
                // the relay adopts this id, so the proxy's, relay's and agent's lines share it
                .process(exchange -> RequestIds.stamp(exchange.getMessage().getBody(HttpCall.class)))
                .to("kubeclient:relay?upstream=#relay&responseHeadTimeout={{proxy.relay.response-head-timeout}}");
    }
}
