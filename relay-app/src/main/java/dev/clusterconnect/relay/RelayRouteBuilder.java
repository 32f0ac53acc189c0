package dev.clusterconnect.relay;

import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import org.apache.camel.builder.RouteBuilder;

/**
 * The relay's routes written in Java: each API operation (the {@code relay-api} entry route, in
 * {@code clusterconnect/routes/relay.camel.yaml}, sends to {@code direct:relay-api-<operation>}),
 * and the peer links between replicas when {@code relay.peer.enabled}. The hops themselves are
 * in that YAML file.
 */
public final class RelayRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        if (Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{relay.peer.enabled:false}}"))) {
            peerRoutes();
        }

        from("direct:relay-api-create-cluster").routeId("relay-api-create-cluster").bean("clusterApi", "createCluster");
        from("direct:relay-api-list-clusters").routeId("relay-api-list-clusters").bean("clusterApi", "listClusters");
        from("direct:relay-api-get-cluster").routeId("relay-api-get-cluster").bean("clusterApi", "getCluster");
        from("direct:relay-api-delete-cluster").routeId("relay-api-delete-cluster").bean("clusterApi", "deleteCluster");
        from("direct:relay-api-issue-bootstrap-token").routeId("relay-api-issue-bootstrap-token").bean("clusterApi", "issueBootstrapToken");
        from("direct:relay-api-list-grants").routeId("relay-api-list-grants").bean("clusterApi", "listGrants");
        from("direct:relay-api-create-grant").routeId("relay-api-create-grant").bean("clusterApi", "createGrant");
        from("direct:relay-api-delete-grant").routeId("relay-api-delete-grant").bean("clusterApi", "deleteGrant");
        from("direct:relay-api-get-kubeconfig").routeId("relay-api-get-kubeconfig").bean("clusterApi", "getKubeconfig");
        from("direct:relay-api-list-agent-keys").routeId("relay-api-list-agent-keys").bean("clusterApi", "listAgentKeys");
        from("direct:relay-api-revoke-agent-key").routeId("relay-api-revoke-agent-key").bean("clusterApi", "revokeAgentKey");
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
                .to("tunnel:peers?operation=accept&peer=true&heartbeatInterval={{relay.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{relay.tunnel.heartbeat-timeout-ms}}");

        from("tunnel:peers")
                .routeId("relay-peer-streams")
                .process("authenticateCaller")
                .process("authorizeCluster")
                .to("tunnel:agents?localOnly=true&responseHeadTimeout={{relay.tunnel.response-head-timeout}}"
                        + "&maxStreamsPerTunnel={{relay.tunnel.max-streams-per-tunnel}}&maxStreamsPerUser={{relay.tunnel.max-streams-per-user}}");
    }
}
