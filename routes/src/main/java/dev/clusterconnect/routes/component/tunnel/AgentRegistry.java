package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The relay's view of connected agents: the open tunnels of each cluster. Several replicas of a
 * cluster's agent may be connected at once; new streams are spread over them in turn.
 */
public final class AgentRegistry {

    private final Map<String, List<TunnelSession>> byCluster = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private volatile boolean draining;
    private final List<BiConsumer<String, TunnelSession>> onConnect = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, TunnelSession>> onDisconnect = new CopyOnWriteArrayList<>();

    void add(String clusterId, TunnelSession session) {
        byCluster.computeIfAbsent(clusterId, id -> new CopyOnWriteArrayList<>()).add(session);
        onConnect.forEach(listener -> listener.accept(clusterId, session));
    }

    void remove(String clusterId, TunnelSession session) {
        List<TunnelSession> sessions = byCluster.get(clusterId);
        if (sessions != null && sessions.remove(session)) {
            onDisconnect.forEach(listener -> listener.accept(clusterId, session));
        }
    }

    /** A session of the cluster that takes new streams, or null when none does. */
    public TunnelSession pick(String clusterId) {
        List<TunnelSession> sessions = byCluster.getOrDefault(clusterId, List.of());
        int size = sessions.size();
        int start = Math.floorMod(turn.getAndIncrement(), Math.max(size, 1));
        for (int i = 0; i < size; i++) {
            TunnelSession candidate = sessions.get((start + i) % size);
            if (candidate.isAcceptingStreams()) {
                return candidate;
            }
        }
        return null;
    }

    /** True while any tunnel of the cluster is open here, draining ones included. */
    public boolean hasTunnel(String clusterId) {
        return !byCluster.getOrDefault(clusterId, List.of()).isEmpty();
    }

    public boolean isConnected(String clusterId) {
        return pick(clusterId) != null;
    }

    /** Tunnels open now, over all clusters. */
    public int tunnels() {
        return byCluster.values().stream().mapToInt(List::size).sum();
    }

    /** Streams open now, over all tunnels. */
    public int openStreams() {
        return byCluster.values().stream().flatMap(List::stream).mapToInt(TunnelSession::openStreams).sum();
    }

    public void onConnect(BiConsumer<String, TunnelSession> listener) {
        onConnect.add(listener);
    }

    public void onDisconnect(BiConsumer<String, TunnelSession> listener) {
        onDisconnect.add(listener);
    }

    /** From now on new tunnels are refused: the peer dials again and reaches another replica. */
    public void refuseNew() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** GOAWAY on every tunnel: no new streams there; open ones go on. */
    public void goAwayAll(String reason) {
        byCluster.values().forEach(sessions -> sessions.forEach(s -> s.goAway(reason)));
    }

    public void closeAll() {
        byCluster.values().forEach(sessions -> sessions.forEach(TunnelSession::close));
    }

    /**
     * Refuses new tunnels, tells every agent to stop sending new work here, lets open streams
     * finish until the deadline, then closes the tunnels.
     */
    public void drain(Duration deadline) throws InterruptedException {
        refuseNew();
        goAwayAll("relay is shutting down");
        long until = System.nanoTime() + deadline.toNanos();
        while (openStreams() > 0 && System.nanoTime() < until) {
            Thread.sleep(50); // polling a shutdown deadline, not waiting for a test condition
        }
        closeAll();
    }
}
