package dev.clusterconnect.relay;

import dev.clusterconnect.relay.store.Clusters;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay knows about each agent tunnel beyond the registry: the key it authenticated with
 * and the versions it reported. Keeps the store's connection status current and closes the tunnels
 * of a revoked key.
 */
public final class AgentConnections {

    private static final Logger LOG = LoggerFactory.getLogger(AgentConnections.class);

    /** What an agent's handshake said about it. {@code kid} is null for a static-token agent. */
    record Handshake(String clusterId, String kid, String agentVersion, String kubernetesVersion) {}

    private final Map<Channel, Handshake> byChannel = new ConcurrentHashMap<>();
    private final AgentRegistry registry;
    private final Clusters clusters;
    private final Executor statusWriter;

    /**
     * @param statusWriter runs the store updates: off the event loop, and in order, so a quick
     *     reconnect cannot be recorded before the disconnect that preceded it
     */
    AgentConnections(AgentRegistry registry, Clusters clusters, Executor statusWriter) {
        this.registry = registry;
        this.clusters = clusters;
        this.statusWriter = statusWriter;
        registry.onConnect(this::connected);
        registry.onDisconnect(this::disconnected);
    }

    /** Remembers an authenticated handshake until its connection closes. */
    void authenticated(Channel channel, Handshake handshake) {
        byChannel.put(channel, handshake);
        channel.closeFuture().addListener(closed -> byChannel.remove(channel));
    }

    /** Closes every open tunnel that authenticated with this key. */
    public int closeTunnelsOf(String clusterId, String kid) {
        int closed = 0;
        for (Map.Entry<Channel, Handshake> entry : byChannel.entrySet()) {
            Handshake handshake = entry.getValue();
            if (handshake.clusterId().equals(clusterId) && kid.equals(handshake.kid())) {
                entry.getKey().close();
                closed++;
            }
        }
        return closed;
    }

    private void connected(String clusterId, TunnelSession session) {
        Handshake handshake = byChannel.get(session.channel());
        String agentVersion = handshake == null ? null : handshake.agentVersion();
        String kubernetesVersion = handshake == null ? null : handshake.kubernetesVersion();
        record(clusterId, () -> clusters.markConnected(clusterId, agentVersion, kubernetesVersion));
    }

    private void disconnected(String clusterId, TunnelSession session) {
        // Another replica of the agent may still hold a tunnel.
        if (!registry.isConnected(clusterId)) {
            record(clusterId, () -> clusters.markDisconnected(clusterId));
        }
    }

    private void record(String clusterId, BooleanSupplier update) {
        statusWriter.execute(() -> {
            try {
                update.getAsBoolean();
            } catch (RuntimeException e) {
                // The tunnel works without its status row; a store outage must not take it down.
                LOG.warn("cannot record the connection status of cluster {}: {}", clusterId, e.getMessage());
            }
        });
    }
}
