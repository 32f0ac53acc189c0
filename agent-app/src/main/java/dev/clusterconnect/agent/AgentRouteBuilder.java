package dev.clusterconnect.agent;

import org.apache.camel.builder.RouteBuilder;

/**
 * The agent's hop: each request from the relay passes an ordered chain of small steps (refuse
 * client impersonation, authenticate the bearer token, start a fresh header map, impersonate the
 * caller) and goes to the apiserver.
 */
public final class AgentRouteBuilder extends RouteBuilder {

    @Override
    public void configure() {
        from("tunnel:relay?url={{agent.relay.url}}&clusterId={{agent.cluster.id}}"
                + "&credentials=#agentCredentials&sslContext=#relayTls"
                + "&httpsProxy={{agent.https-proxy:}}&noProxy={{agent.no-proxy:}}"
                + "&heartbeatInterval={{agent.tunnel.heartbeat-interval-ms}}&heartbeatTimeout={{agent.tunnel.heartbeat-timeout-ms}}"
                + "&reconnectBackoffMax={{agent.tunnel.reconnect-backoff-max-ms}}")
                .routeId("agent-requests")
                .process("refuseClientImpersonation")
                .process("authenticate")
                .process("freshHeaders")
                .process("impersonate")
                .to("kubeclient:apiserver?upstream=#apiserver&responseHeadTimeout={{agent.apiserver.response-head-timeout}}");
    }
}
