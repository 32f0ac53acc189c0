package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.relay.store.RelayInstance;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import dev.clusterconnect.routes.component.tunnel.TunnelLocator;
import dev.clusterconnect.routes.tunnel.TunnelSession;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Where a request for a cluster goes: a tunnel of this replica; else a peer link to a live
 * replica that holds one (draining ones last); else, when the cluster's agent is known to be moving (its
 * tunnel just closed here, or another replica still lists it), the request waits up to
 * {@code relay.tunnel.reconnect-wait} for the new tunnel to appear anywhere. A cluster nobody has
 * heard of is answered at once (503), not after a wait.
 */
public final class ClusterLocator implements TunnelLocator {

    private final AgentRegistry agents;
    private final RemotePresence remote;
    private final PeerLinks links;
    private final Duration wait;
    private final ScheduledExecutorService timer;
    /** When each cluster last lost its tunnel here (nanoTime). */
    private final Map<String, Long> lostHere = new ConcurrentHashMap<>();

    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
    /** Replicas that refused a stream per cluster (its agent was leaving them), until the cluster's holders change. */
    private final Map<String, Set<String>> refusedBy = new ConcurrentHashMap<>();

    public ClusterLocator(
            AgentRegistry agents,
            RemotePresence remote,
            PeerLinks links,
            Duration wait,
            ScheduledExecutorService timer) {
        this.agents = agents;
        this.remote = remote;
        this.links = links;
        this.wait = wait;
        this.timer = timer;
        agents.onConnect((clusterId, session) -> wake(clusterId));
        agents.onDisconnect((clusterId, session) -> {
            if (!agents.isConnected(clusterId)) {
                lostHere.put(clusterId, System.nanoTime());
            }
        });
        remote.onChange(clusterId -> {
            if (clusterId == null) {
                refusedBy.clear();
            } else {
                refusedBy.remove(clusterId);
            }
            wake(clusterId);
        });
    }

    @Override
    public void refused(String clusterId, Located located) {
        if (located != null && located.viaPeer()) {
            refusedBy
                    .computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet())
                    .add(located.peer());
        }
    }

    @Override
    public void locate(String clusterId, Consumer<Located> found) {
        new Waiter(clusterId, found, System.nanoTime() + wait.toNanos()).attempt();
    }

    /** Clusters that requests are waiting for right now (for tests and metrics). */
    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    private void wake(String clusterId) {
        if (clusterId == null) {
            waiting.keySet().forEach(this::wake);
            return;
        }
        Set<Waiter> parked = waiting.remove(clusterId);
        if (parked != null) {
            parked.forEach(Waiter::attempt);
        }
    }

    /**
     * The cluster's agent is moving: its tunnel here is draining or just closed, another replica
     * still lists it (draining, dead or unreachable), or one stopped holding it a moment ago.
     */
    private boolean isMoving(String clusterId, long now) {
        Long lost = lostHere.get(clusterId);
        if (agents.hasTunnel(clusterId) || (lost != null && now - lost < wait.toNanos())) {
            return true;
        }
        return !remote.anyHolders(clusterId).isEmpty() || remote.lostRecently(clusterId, wait);
    }

    /**
     * Other replicas a stream for the cluster may go to: those holding it, less any that refused
     * one since the cluster's holders last changed (its agent is leaving there: the request waits
     * for the new holder instead). The same list for trying and for deciding to park, or a waiter
     * that only refusers hold would wake itself without end.
     */
    private List<RelayInstance> usableHolders(String clusterId) {
        Set<String> refusers = refusedBy.getOrDefault(clusterId, Set.of());
        List<RelayInstance> holders = remote.holders(clusterId);
        return refusers.isEmpty()
                ? holders
                : holders.stream().filter(h -> !refusers.contains(h.id())).toList();
    }

    /** One request's search; {@code found} runs once, whatever wakes it. */
    private final class Waiter {

        private final String clusterId;
        private final Consumer<Located> found;
        private final long deadline;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile boolean timerSet;
        private volatile boolean rechecked;

        Waiter(String clusterId, Consumer<Located> found, long deadline) {
            this.clusterId = clusterId;
            this.found = found;
            this.deadline = deadline;
        }

        void attempt() {
            if (done.get()) {
                return;
            }
            TunnelSession local = agents.pick(clusterId);
            if (local != null) {
                finish(new Located(local, null));
                return;
            }
            tryPeers(usableHolders(clusterId).iterator());
        }

        private void tryPeers(Iterator<RelayInstance> holders) {
            if (!holders.hasNext()) {
                parkOrGiveUp();
                return;
            }
            RelayInstance peer = holders.next();
            links.link(peer.id(), peer.peerAddress()).whenComplete((session, failure) -> {
                if (failure == null && session.isAcceptingStreams()) {
                    finish(new Located(session, peer.id()));
                } else {
                    tryPeers(holders);
                }
            });
        }

        private void parkOrGiveUp() {
            long now = System.nanoTime();
            if (now >= deadline || !isMoving(clusterId, now)) {
                finish(null);
                return;
            }
            waiting.computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet())
                    .add(this);
            if (!timerSet) {
                timerSet = true;
                timer.schedule(this::expire, deadline - now, TimeUnit.NANOSECONDS);
            }
            // A tunnel may have come up between the look and the parking: look once more, from
            // the timer's thread. Once, and not on this stack: a holder whose link fails at once
            // would otherwise bring the waiter straight back here, without end (a StackOverflowError
            // on a peer link's loop, seen in a rolling restart, took that link down).
            if (!rechecked
                    && (agents.isConnected(clusterId)
                            || !usableHolders(clusterId).isEmpty())) {
                rechecked = true;
                timer.execute(() -> wake(clusterId));
            }
        }

        private void expire() {
            Set<Waiter> parked = waiting.get(clusterId);
            if (parked != null) {
                parked.remove(this);
            }
            // One last look: the tunnel may be up with nobody having woken us.
            if (!done.get()) {
                TunnelSession local = agents.pick(clusterId);
                finish(local == null ? null : new Located(local, null));
            }
        }

        private void finish(Located located) {
            if (done.compareAndSet(false, true)) {
                found.accept(located);
            }
        }
    }
}
