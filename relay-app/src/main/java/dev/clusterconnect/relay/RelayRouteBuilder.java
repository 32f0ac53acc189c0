package dev.clusterconnect.relay;

import org.apache.camel.builder.RouteBuilder;

/**
 * The relay's hops: agents enrol and rotate their keys, open tunnels; clients' requests go into the
 * tunnel of their cluster.
 */
public final class RelayRouteBuilder extends RouteBuilder {

    static final String LISTEN = "kubeserver:{{relay.listen.host}}:{{relay.listen.port}}";

    @Override
    public void configure() {
        // The agent routes consult the store: threads() keeps those JDBC calls off the event loop.
        from(LISTEN + "/agent/v1/connect?sslContext=#relayTls")
                .routeId("relay-agent-connect")
                .threads()
                .process("agentAuthenticator")
                .to("tunnel:agents?operation=accept&heartbeatInterval={{relay.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{relay.tunnel.heartbeat-timeout-ms}}");

        from(LISTEN + "/agent/v1/enroll?sslContext=#relayTls")
                .routeId("relay-agent-enroll")
                .threads()
                .process("agentEnrollment");

        from(LISTEN + "/agent/v1/keys?sslContext=#relayTls")
                .routeId("relay-agent-keys")
                .threads()
                .process("agentKeyRotation");

        from(LISTEN + "/clusters?sslContext=#relayTls")
                .routeId("relay-clients")
                .process("clusterRouter")
                .to("tunnel:agents");
    }
}
