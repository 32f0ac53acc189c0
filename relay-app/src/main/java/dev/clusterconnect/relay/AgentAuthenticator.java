package dev.clusterconnect.relay;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an agent's tunnel request comes from the agent of the cluster it names: a JWT
 * signed by an enrolled key of that cluster, or, only for clusters listed in
 * {@code relay.agent-clusters}, the static token configured for it.
 */
public final class AgentAuthenticator implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentAuthenticator.class);
    static final String CLUSTER_HEADER = "X-Clusterconnect-Cluster";

    private final AgentJwtVerifier verifier;
    private final AgentTokens staticTokens;
    private final AgentConnections connections;

    AgentAuthenticator(AgentJwtVerifier verifier, AgentTokens staticTokens, AgentConnections connections) {
        this.verifier = verifier;
        this.staticTokens = staticTokens;
        this.connections = connections;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String clusterId = call.head().headers().get(CLUSTER_HEADER);
        if (clusterId == null || !clusterId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new KubeStatusException(400, "the agent must name its cluster in " + CLUSTER_HEADER);
        }
        String token = bearer(call.head().headers().get("Authorization"));
        String kid = null;
        if (staticTokens.covers(clusterId)) {
            if (!staticTokens.matches(clusterId, token)) {
                throw refused(call, clusterId, 401, "the agent credential is not valid for cluster " + clusterId);
            }
        } else {
            AgentJwtVerifier.Result result = verifier.verify(token, clusterId);
            if (result instanceof AgentJwtVerifier.Result.Refused refused) {
                throw refused(call, clusterId, refused.status(), refused.message());
            }
            kid = ((AgentJwtVerifier.Result.Verified) result).kid();
        }
        AgentConnections.Handshake handshake = new AgentConnections.Handshake(
                clusterId,
                kid,
                call.head().headers().get("X-Clusterconnect-Agent-Version"),
                call.head().headers().get("X-Clusterconnect-Kubernetes-Version"));
        call.connection().ifPresent(channel -> connections.authenticated(channel, handshake));
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, clusterId);
    }

    static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
    }

    private static KubeStatusException refused(HttpCall call, String clusterId, int status, String message) {
        // The message names clusters and key ids, never the token.
        LOG.warn(
                "[{}] refused an agent tunnel for cluster {} from {} ({}): {}",
                call.correlationId(),
                clusterId,
                call.connection().map(c -> String.valueOf(c.remoteAddress())).orElse("?"),
                status,
                message);
        return new KubeStatusException(status, message);
    }
}
