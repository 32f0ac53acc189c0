package dev.clusterconnect.relay;

import org.apache.camel.builder.RouteBuilder;

/** The relay's hops: agents open tunnels; clients' requests go into the tunnel of their cluster. */
public final class RelayRouteBuilder extends RouteBuilder {

    static final String LISTEN = "kubeserver:{{relay.listen.host}}:{{relay.listen.port}}";

    @Override
    public void configure() {
        from(LISTEN + "/agent/v1/connect?sslContext=#relayTls")
                .routeId("relay-agent-connect")
                .process("agentAuthenticator")
                .to("tunnel:agents?operation=accept&heartbeatInterval={{relay.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{relay.tunnel.heartbeat-timeout-ms}}");

        from(LISTEN + "/clusters?sslContext=#relayTls")
                .routeId("relay-clients")
                .process("clusterRouter")
                .to("tunnel:agents");
    }
}
