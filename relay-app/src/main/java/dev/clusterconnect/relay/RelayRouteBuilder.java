package dev.clusterconnect.relay;

import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import org.apache.camel.builder.RouteBuilder;

/**
 * The relay's routes written in Java: the peer links between replicas, when
 * {@code relay.peer.enabled}. The hops and the API are in {@code clusterconnect/routes/relay.camel.yaml}.
 */
public final class RelayRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        if (Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{relay.peer.enabled:false}}"))) {
            peerRoutes();
        }
    }

    /**
     * Replicas reach each other on a port of their own (mutual TLS with the peer CA). A stream a
     * peer forwards is checked again here, authentication and access, as if it had arrived from a
     * client, and goes only into a tunnel of this replica: never on to a third.
     */
    private void peerRoutes() {
        String peerListen = "kubeserver:{{relay.peer.listen.host:0.0.0.0}}:{{relay.peer.listen.port:8444}}";
        from(peerListen + PeerLinks.PATH + "?sslContext=#peerTls")
                .routeId("relay-peer-connect")
                .process("peerHandshake")
                .to(
                        "tunnel:peers?operation=accept&peer=true&heartbeatInterval={{relay.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{relay.tunnel.heartbeat-timeout-ms}}");

        from("tunnel:peers")
                .routeId("relay-peer-streams")
                .process("authenticateCaller")
                .process("authorizeCluster")
                .to(
                        "tunnel:agents?localOnly=true&responseHeadTimeout={{relay.tunnel.response-head-timeout}}"
                                + "&maxStreamsPerTunnel={{relay.tunnel.max-streams-per-tunnel}}&maxStreamsPerUser={{relay.tunnel.max-streams-per-user}}");
    }
}
