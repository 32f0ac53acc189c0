package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.util.function.Consumer;

/**
 * Where a cluster's agent can be reached from this relay: its own tunnel here, or a peer link to
 * the replica that holds it. The relay's {@code tunnel:} producer asks once per request.
 */
public interface TunnelLocator {

    /**
     * A session a new stream for the cluster can be opened on.
     *
     * @param session the agent's own tunnel, or a peer link
     * @param peer the replica the peer link leads to; null for a tunnel of this replica
     */
    record Located(TunnelSession session, String peer) {
        public boolean viaPeer() {
            return peer != null;
        }
    }

    /**
     * Finds a session for {@code clusterId} and hands it to {@code found}, or null when none turns
     * up in time. Never blocks; {@code found} may run on any thread, exactly once.
     */
    void locate(String clusterId, Consumer<Located> found);

    /**
     * {@code located} refused a stream for the cluster before answering it: its agent is moving
     * away from there. The next {@link #locate} for the cluster should not offer it again until
     * where the cluster is held has changed.
     */
    default void refused(String clusterId, Located located) {}
}
