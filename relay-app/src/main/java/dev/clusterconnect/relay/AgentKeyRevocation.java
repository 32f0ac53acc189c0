package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.AgentKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes an agent key: from now on its tokens are refused, and the tunnels it opened are closed
 * (the agent's reconnection then needs a valid key). The hook for the control plane's API.
 */
public final class AgentKeyRevocation {

    private static final Logger LOG = LoggerFactory.getLogger(AgentKeyRevocation.class);

    private final AgentKeys keys;
    private final AgentConnections connections;

    AgentKeyRevocation(AgentKeys keys, AgentConnections connections) {
        this.keys = keys;
        this.connections = connections;
    }

    /** @return false if the cluster has no such active key */
    public boolean revoke(String clusterId, String kid) {
        boolean revoked = keys.revoke(clusterId, kid);
        if (revoked) {
            int closed = connections.closeTunnelsOf(clusterId, kid);
            LOG.info("revoked agent key {} of cluster {}; closed {} tunnel(s)", kid, clusterId, closed);
        }
        return revoked;
    }
}
