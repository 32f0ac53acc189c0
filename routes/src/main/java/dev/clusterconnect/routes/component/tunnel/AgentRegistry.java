package dev.clusterconnect.routes.component.tunnel;

import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The relay's view of connected agents: the open tunnels of each cluster. Several replicas of a
 * cluster's agent may be connected at once; new streams are spread over them in turn.
 *
 * <p>A tunnel told to move in turn ({@link #goAwayInTurn}) is <em>leaving</em>: to the listeners
 * and to {@link #pick} it is gone from its cluster at once, since it takes no new stream here;
 * its open streams go on until its agent closes it, and it still counts in {@link #tunnels},
 * {@link #openStreams} and {@link #hasTunnel}.
 */
public final class AgentRegistry {

    private final Map<String, List<TunnelSession>> byCluster = new ConcurrentHashMap<>();
    /** Tunnels told to move in turn, until they close: cluster id of each. */
    private final Map<TunnelSession, String> leaving = new ConcurrentHashMap<>();

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
        } else {
            leaving.remove(session); // its listeners heard when it was told to move
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

    /** True while any tunnel of the cluster is open here, draining and leaving ones included. */
    public boolean hasTunnel(String clusterId) {
        return !byCluster.getOrDefault(clusterId, List.of()).isEmpty() || leaving.containsValue(clusterId);
    }

    public boolean isConnected(String clusterId) {
        return pick(clusterId) != null;
    }

    /** Tunnels open now, over all clusters, leaving ones included. */
    public int tunnels() {
        return byCluster.values().stream().mapToInt(List::size).sum() + leaving.size();
    }

    /** Tunnels told to move in turn that are still open. */
    public int leaving() {
        return leaving.size();
    }

    /** Streams open now, over all tunnels. */
    public int openStreams() {
        return byCluster.values().stream()
                        .flatMap(List::stream)
                        .mapToInt(TunnelSession::openStreams)
                        .sum()
                + leaving.keySet().stream().mapToInt(TunnelSession::openStreams).sum();
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

    /**
     * Tells more agents to move (GOAWAY), so that at most {@code atOnce} are moving at a time: a
     * drain of thousands of agents then never lands their handshakes on the other replicas all at
     * once (past the TLS handshake timeout there), and the agents not yet told keep serving here.
     * Each tunnel told leaves its cluster at once ({@link AgentRegistry}).
     *
     * @return how many tunnels are still to be told
     */
    public int goAwayInTurn(int atOnce, String reason) {
        int room = atOnce - leaving.size();
        int untold = 0;
        for (Map.Entry<String, List<TunnelSession>> cluster : byCluster.entrySet()) {
            for (TunnelSession session : cluster.getValue()) {
                if (room <= 0) {
                    untold++;
                } else if (leave(cluster.getKey(), cluster.getValue(), session)) {
                    session.goAway(reason);
                    room--;
                }
            }
        }
        return untold;
    }

    /**
     * Moves a tunnel from its cluster to {@link #leaving}. Entered there first, so that a close
     * racing with this finds it in one place or the other: whichever takes it out of its cluster's
     * list tells the listeners, once.
     */
    private boolean leave(String clusterId, List<TunnelSession> sessions, TunnelSession session) {
        leaving.put(session, clusterId);
        if (!sessions.remove(session)) {
            leaving.remove(session);
            return false;
        }
        onDisconnect.forEach(listener -> listener.accept(clusterId, session));
        return true;
    }

    public void closeAll() {
        byCluster.values().forEach(sessions -> sessions.forEach(TunnelSession::close));
        leaving.keySet().forEach(TunnelSession::close);
    }
}
