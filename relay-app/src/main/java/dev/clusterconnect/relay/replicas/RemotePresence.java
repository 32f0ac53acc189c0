package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.relay.store.Presence;
import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.relay.store.RelayInstance;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this replica knows of the others: their leases and which clusters each holds, kept in
 * memory so a request never waits for the store. One thread LISTENs on the presence channel and
 * applies each change as it is committed; it reads everything again when it (re)connects, and the
 * leases every third of their lifetime. When the store is down, the last view keeps serving.
 */
public final class RemotePresence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePresence.class);
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final RelayDatabase database;
    private final String self;
    private final Duration reloadEvery;
    private final Clock clock;
    private volatile Map<String, RelayInstance> instances = Map.of();
    private final Map<String, Set<String>> holders = new ConcurrentHashMap<>();
    /** When another replica last stopped holding each cluster (nanoTime). */
    private final Map<String, Long> removedAt = new ConcurrentHashMap<>();

    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    /** While the listener has lost the store: when it did. Leases are judged as of then (see {@link #viewTime}). */
    private volatile Instant lostAt;

    private Thread thread;

    public RemotePresence(RelayDatabase database, String self, Duration leaseTtl, Clock clock) {
        this.database = database;
        this.self = self;
        this.reloadEvery = leaseTtl.dividedBy(3);
        this.clock = clock;
    }

    /** Starts listening (PostgreSQL only: an H2 store has no other replica to hear from). */
    public void start() {
        if (!database.isPostgres()) {
            return;
        }
        reloadAll(database.presence());
        running = true;
        thread = new Thread(this::listen, "relay-presence-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called with a cluster id whose holders changed, or null when any may have. */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Other replicas that hold the cluster and have a live lease: those not draining first, then
     * draining ones, whose agents not yet told to move still serve there (a draining replica
     * removes a cluster's row as it tells that agent to move).
     */
    public List<RelayInstance> holders(String clusterId) {
        Set<String> ids = holders.get(clusterId);
        if (ids == null) {
            return List.of();
        }
        Instant now = viewTime();
        List<RelayInstance> usable = new ArrayList<>();
        for (String id : ids) {
            RelayInstance instance = instances.get(id);
            if (instance != null
                    && instance.isLive(now)
                    && !instance.peerAddress().isEmpty()) {
                usable.add(instance);
            }
        }
        usable.sort(java.util.Comparator.comparing(RelayInstance::draining)); // false first
        return usable;
    }

    /** True when another replica with a live lease that is not draining is known. */
    public boolean hasOtherLiveReplica() {
        Instant now = viewTime();
        return instances.values().stream().anyMatch(i -> !i.id().equals(self) && i.isLive(now) && !i.draining());
    }

    /**
     * The moment leases are judged at: now, or while the store cannot be heard from, the moment it
     * was lost. No replica can renew its lease during an outage, so by the clock every other
     * replica would soon look dead and requests for the clusters they hold would wait and fail,
     * though their tunnels and peer links serve on; a replica that did die meanwhile shows as a peer
     * link that cannot be opened, and the request goes on to the next holder or waits.
     */
    private Instant viewTime() {
        Instant lost = lostAt;
        return lost != null ? lost : clock.instant();
    }

    /** True when a replica stopped holding the cluster within {@code window}: its agent is moving. */
    public boolean lostRecently(String clusterId, Duration window) {
        Long at = removedAt.get(clusterId);
        return at != null && System.nanoTime() - at < window.toNanos();
    }

    /** Every other replica that has a row for the cluster, live or not: its agent is likely moving. */
    public List<String> anyHolders(String clusterId) {
        Set<String> ids = holders.get(clusterId);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        boolean failed = false;
        while (running) {
            try (Connection connection = database.dedicatedConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + Presence.CHANNEL);
                }
                reloadAll(database.presence());
                if (failed) {
                    LOG.info("presence listener reconnected; view of the other replicas rebuilt");
                    failed = false;
                    lostAt = null;
                    // Requests parked while the view was stale look again at the rebuilt one.
                    listeners.forEach(listener -> listener.accept(null));
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                long nextReload = System.nanoTime() + reloadEvery.toNanos();
                while (running) {
                    PGNotification[] batch =
                            notifications.getNotifications((int) Math.max(100, reloadEvery.toMillis()));
                    if (batch != null) {
                        for (PGNotification notification : batch) {
                            apply(notification.getParameter());
                        }
                    }
                    if (System.nanoTime() > nextReload) {
                        reloadInstances();
                        nextReload = System.nanoTime() + reloadEvery.toNanos();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failed) {
                    LOG.warn("presence listener lost the store ({}); serving from the last view", e.getMessage());
                    failed = true;
                    lostAt = clock.instant();
                }
                sleep(RECONNECT);
            }
        }
    }

    /** Applies one notification; see {@link Presence#CHANNEL} for the payloads. */
    void apply(String payload) {
        String[] parts = payload.split(" ");
        switch (parts[0]) {
            case "+" -> changed(parts, true);
            case "-" -> changed(parts, false);
            case "i" -> {
                reloadAll(database.presence());
                listeners.forEach(listener -> listener.accept(null));
            }
            default -> LOG.debug("ignored presence notification '{}'", payload);
        }
    }

    private void changed(String[] parts, boolean added) {
        if (parts.length != 3 || parts[2].equals(self)) {
            return;
        }
        String clusterId = parts[1];
        if (added) {
            holders.computeIfAbsent(clusterId, id -> ConcurrentHashMap.newKeySet())
                    .add(parts[2]);
        } else {
            removedAt.put(clusterId, System.nanoTime());
            holders.computeIfPresent(clusterId, (id, set) -> {
                set.remove(parts[2]);
                return set.isEmpty() ? null : set;
            });
        }
        if (added && !instances.containsKey(parts[2])) {
            instances = byId(database.presence().instances());
        }
        listeners.forEach(listener -> listener.accept(clusterId));
    }

    /**
     * Rereads the leases. Renewals are not announced (they would be most of the store's traffic),
     * so a lease that ran out and was renewed late is seen only here: wake the requests that wait,
     * when any replica's liveness changed.
     */
    private void reloadInstances() {
        Instant now = clock.instant();
        Set<String> liveBefore = live(instances, now);
        instances = byId(database.presence().instances());
        if (!liveBefore.equals(live(instances, now))) {
            listeners.forEach(listener -> listener.accept(null));
        }
    }

    private static Set<String> live(Map<String, RelayInstance> instances, Instant now) {
        Set<String> ids = new java.util.HashSet<>();
        instances.values().stream().filter(i -> i.isLive(now) && !i.draining()).forEach(i -> ids.add(i.id()));
        return ids;
    }

    private void reloadAll(Presence presence) {
        Map<String, RelayInstance> loaded = byId(presence.instances());
        Map<String, List<String>> byCluster = presence.holdersByCluster();
        instances = loaded;
        long now = System.nanoTime();
        holders.keySet().stream().filter(id -> !byCluster.containsKey(id)).forEach(id -> removedAt.put(id, now));
        holders.keySet().retainAll(byCluster.keySet());
        byCluster.forEach((clusterId, ids) -> {
            Set<String> set = ConcurrentHashMap.newKeySet();
            ids.stream().filter(id -> !id.equals(self)).forEach(set::add);
            if (set.isEmpty()) {
                holders.remove(clusterId);
            } else {
                holders.put(clusterId, set);
            }
        });
    }

    private static Map<String, RelayInstance> byId(List<RelayInstance> list) {
        Map<String, RelayInstance> map = new ConcurrentHashMap<>();
        list.forEach(instance -> map.put(instance.id(), instance));
        return map;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // reconnect pacing, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
