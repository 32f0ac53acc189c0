package dev.clusterconnect.relay;

import dev.clusterconnect.routes.ClusterConnectHeaders;
import dev.clusterconnect.routes.http.HttpCall;
import dev.clusterconnect.routes.status.KubeStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides whether an agent's tunnel request comes from the agent of the cluster it names. */
public final class AgentAuthenticator implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentAuthenticator.class);

    private final AgentTokens tokens;

    public AgentAuthenticator(AgentTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void process(Exchange exchange) {
        HttpCall call = exchange.getMessage().getBody(HttpCall.class);
        String clusterId = call.head().headers().get("X-Clusterconnect-Cluster");
        String authorization = call.head().headers().get("Authorization");
        if (clusterId == null || !clusterId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new KubeStatusException(400, "the agent must name its cluster in X-Clusterconnect-Cluster");
        }
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (!tokens.matches(clusterId, token)) {
            LOG.warn("[{}] refused an agent tunnel for cluster {} from {}: bad credential", call.correlationId(), clusterId,
                    call.connection().map(c -> String.valueOf(c.remoteAddress())).orElse("?"));
            throw new KubeStatusException(401, "the agent credential is not valid for cluster " + clusterId);
        }
        exchange.getMessage().setHeader(ClusterConnectHeaders.CLUSTER_ID, clusterId);
    }
}
