package dev.clusterconnect.relay;

import dev.clusterconnect.relay.api.ApiOperation;
import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The relay's hops: agents enrol, rotate their keys and open tunnels; clients' requests are
 * audited, authenticated and authorised, then go into the tunnel of their cluster; the API
 * manages clusters and grants.
 */
public final class RelayRouteBuilder extends RouteBuilder {

    static final String LISTEN = "kubeserver:{{relay.listen.host}}:{{relay.listen.port}}";
    /** The listen socket's TLS and connection limits: every route on it must name the same ones. */
    private static final String EDGE = "?sslContext=#relayTls"
            + "&headerTimeout={{relay.listen.header-timeout-ms}}"
            + "&idleTimeout={{relay.listen.idle-timeout-ms}}"
            + "&bodyTimeout={{relay.listen.body-timeout-ms}}"
            + "&maxConnectionsPerAddress={{relay.listen.max-connections-per-address}}";

    /** Streams at once per agent tunnel and per user, at this replica. */
    private static final String STREAM_CAPS = "&maxStreamsPerTunnel={{relay.tunnel.max-streams-per-tunnel}}"
            + "&maxStreamsPerUser={{relay.tunnel.max-streams-per-user}}";

    @Override
    public void configure() {
        // The agent routes consult the store: threads() keeps those JDBC calls off the event loop.
        // A reconnect storm (a relay replica gone, its agents all dialling at once) is refused
        // with 429 before it queues here and starves the established tunnels' heartbeats.
        from(LISTEN + "/agent/v1/connect" + EDGE + "&maxConcurrentRequests={{relay.tunnel.max-concurrent-handshakes}}")
                .routeId("relay-agent-connect")
                .threads()
                .process("agentAuthenticator")
                .to("tunnel:agents?operation=accept&heartbeatInterval={{relay.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{relay.tunnel.heartbeat-timeout-ms}}");

        from(LISTEN + "/agent/v1/enroll" + EDGE)
                .routeId("relay-agent-enroll")
                .threads()
                .process("agentEnrollment");

        from(LISTEN + "/agent/v1/keys" + EDGE)
                .routeId("relay-agent-keys")
                .threads()
                .process("agentKeyRotation");

        from(LISTEN + "/clusters" + EDGE)
                .routeId("relay-clients")
                .process("auditTrail")
                .process("clusterRouter")
                .process("authenticateCaller")
                .process("authorizeCluster")
                .to("tunnel:agents?locator=#clusterLocator&responseHeadTimeout={{relay.tunnel.response-head-timeout}}" + STREAM_CAPS);

        if (Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{relay.peer.enabled:false}}"))) {
            peerRoutes();
        }

        // One entry for the API; each operation is a route of its own, addressable by its id.
        from(LISTEN + "/api/v1" + EDGE)
                .routeId("relay-api")
                .process("auditTrail")
                .process("authenticateCaller")
                .process("resolveApiOperation")
                .process("readJsonBody")
                // Every operation reads or writes the store (JDBC): off the event loop, on a bounded
                // pool of its own; when it is full the request is refused (503), never run on the loop.
                .threads(1, 4, "relay-api").maxQueueSize(100).callerRunsWhenRejected(false)
                .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                .toD("direct:relay-api-${header." + ApiOperation.HEADER + "}");

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
                .to("tunnel:agents?localOnly=true&responseHeadTimeout={{relay.tunnel.response-head-timeout}}" + STREAM_CAPS);
    }
}
