package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.relay.store.Presence;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store what this replica holds: its lease, renewed every third of its lifetime, and
 * one presence row per cluster with at least one agent tunnel here. Writes run on one thread in
 * the order the tunnels came and went. While the store is down the tunnels keep serving; the
 * first renewal that works afterwards rewrites this replica's rows from what it holds then.
 */
public final class LocalPresence {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPresence.class);

    private final Presence store;
    private final String self;
    private final String peerAddress;
    private final Duration ttl;
    private final ScheduledExecutorService writer;
    /** Tunnels per cluster: only the writer thread changes it. */
    private final Map<String, Integer> tunnels = new ConcurrentHashMap<>();
    /** What the store was last told per cluster, so a flip-flop writes only what changed. */
    private final Map<String, Boolean> written = new ConcurrentHashMap<>();

    private volatile boolean draining;
    private volatile boolean stale;
    private volatile boolean registered;

    public LocalPresence(
            Presence store,
            String self,
            String peerAddress,
            Duration ttl,
            AgentRegistry agents,
            ScheduledExecutorService writer) {
        this.store = store;
        this.self = self;
        this.peerAddress = peerAddress;
        this.ttl = ttl;
        this.writer = writer;
        agents.onConnect((clusterId, session) -> writer.execute(() -> changed(clusterId, 1)));
        agents.onDisconnect((clusterId, session) -> writer.execute(() -> changed(clusterId, -1)));
    }

    /** Registers this replica and starts renewing its lease. */
    public void start() {
        store.register(self, peerAddress, ttl);
        registered = true;
        long every = Math.max(100, ttl.toMillis() / 3);
        writer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        LOG.info("relay replica {} registered (peer address '{}', lease {} s)", self, peerAddress, ttl.toSeconds());
    }

    public String self() {
        return self;
    }

    /** True while at least one agent tunnel of the cluster is open here. */
    public boolean holds(String clusterId) {
        return tunnels.getOrDefault(clusterId, 0) > 0;
    }

    /** Tells the other replicas at once that this one drains: they stop choosing it. */
    public void drain() {
        draining = true;
        await(() -> {
            if (!store.renew(self, ttl, true, true)) {
                stale = true;
            }
        });
    }

    /**
     * Removes this replica from the store, its presence rows with it: the last step of a clean
     * stop. Not queued behind the writer's backlog: a drain that closes thousands of tunnels at
     * once queues a write for each, which the removal makes moot (measured: queued, the removal
     * waited past its 5 s, the process exited without it, and its rows stayed until the sweep).
     */
    public void deregister() {
        registered = false; // writes still queued skip the store from now on
        try {
            store.deregister(self);
        } catch (RuntimeException e) {
            LOG.warn(
                    "relay replica {} could not leave the store ({}); its lease runs out instead",
                    self,
                    e.getMessage());
        }
    }

    private void changed(String clusterId, int delta) {
        int now = tunnels.merge(clusterId, delta, Integer::sum);
        if (now <= 0) {
            tunnels.remove(clusterId);
        }
        boolean held = now > 0;
        if (stale || !registered || Boolean.valueOf(held).equals(written.get(clusterId))) {
            return;
        }
        try {
            if (held) {
                store.add(clusterId, self);
            } else {
                store.remove(clusterId, self);
            }
            written.put(clusterId, held);
        } catch (RuntimeException e) {
            markStale(e);
        }
    }

    private void renew() {
        if (!registered) {
            return;
        }
        try {
            if (stale || !store.renew(self, ttl, draining, false)) {
                List<String> held = List.copyOf(tunnels.keySet());
                store.replace(self, peerAddress, ttl, draining, held);
                written.clear();
                held.forEach(clusterId -> written.put(clusterId, true));
                if (stale) {
                    LOG.info("relay store is back: presence of {} cluster(s) rewritten", held.size());
                }
                stale = false;
            }
        } catch (RuntimeException e) {
            markStale(e);
        }
    }

    private void markStale(RuntimeException e) {
        if (!stale) {
            LOG.warn("cannot write tunnel presence ({}); serving from memory until the store answers", e.getMessage());
        }
        stale = true;
    }

    /** Runs a store write on the writer thread, after the changes queued before it, and waits. */
    private void await(Runnable write) {
        try {
            writer.submit(write).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("relay replica {}: {}", self, e.getMessage());
        }
    }
}
