package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.relay.store.RelayDatabase;
import dev.clusterconnect.routes.component.tunnel.AgentRegistry;
import dev.clusterconnect.routes.component.tunnel.PeerLinks;
import dev.clusterconnect.routes.component.tunnel.TunnelComponent;
import dev.clusterconnect.routes.tls.TlsContexts;
import dev.clusterconnect.routes.tunnel.Drain;
import dev.clusterconnect.routes.tunnel.TunnelSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This relay as one replica of many: its lease and presence in the store, its view of the other
 * replicas, its links to them, where requests go, and the order a stop drains in.
 */
public final class Replicas implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);
    /** Rows of replicas dead this long are deleted by whichever replica sweeps first. */
    private static final Duration SWEEP_GRACE = Duration.ofMinutes(1);

    private final ReplicaSettings settings;
    private final AgentRegistry agents;
    private final AgentRegistry peers;
    private final LocalPresence local;
    private final RemotePresence remote;
    private final PeerLinks links;
    private final ClusterLocator locator;
    private final ScheduledExecutorService writer;
    private final ScheduledExecutorService timer;
    private final RelayDatabase database;
    private volatile boolean draining;

    public Replicas(
            ReplicaSettings settings, RelayDatabase database, TunnelComponent tunnels, TunnelSettings tunnelSettings) {
        this.settings = settings;
        this.database = database;
        this.agents = tunnels.registry("agents");
        this.peers = tunnels.registry("peers");
        this.writer = Executors.newSingleThreadScheduledExecutor(daemon("relay-presence-writer"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("relay-locator"));
        this.local = new LocalPresence(
                database.presence(),
                settings.instanceId(),
                settings.advertisedAddress(),
                settings.leaseTtl(),
                agents,
                writer);
        this.remote = new RemotePresence(database, settings.instanceId(), settings.leaseTtl(), Clock.systemUTC());
        this.links = settings.peers()
                ? tunnels.peerLinks(
                        settings.instanceId(),
                        TlsContexts.mutualClient(settings.certFile(), settings.keyFile(), settings.caFile()),
                        tunnelSettings)
                : null;
        this.locator = new ClusterLocator(agents, remote, links, settings.reconnectWait(), timer);
    }

    /** Registers this replica and, with peers, starts hearing from the others. */
    public void start() {
        local.start();
        if (settings.peers()) {
            remote.start();
        }
        writer.scheduleWithFixedDelay(this::sweep, 30, 30, java.util.concurrent.TimeUnit.SECONDS);
    }

    public ClusterLocator locator() {
        return locator;
    }

    public String instanceId() {
        return settings.instanceId();
    }

    /** The one thread that writes presence; status rows that depend on it are written there too. */
    public java.util.concurrent.Executor storeWriter() {
        return writer;
    }

    public boolean isDraining() {
        return draining;
    }

    /** The replicas that hold a tunnel of the cluster now: this one first, then live others. */
    public List<String> holders(String clusterId) {
        List<String> ids = new ArrayList<>();
        if (agents.isConnected(clusterId)) {
            ids.add(settings.instanceId());
        }
        remote.holders(clusterId).forEach(instance -> ids.add(instance.id()));
        return ids;
    }

    /**
     * The stop, in an order that fails no request: readiness turns false and new tunnels are
     * refused; after {@code unready-delay} (load balancers stop sending new connections) client
     * connections are closed as each goes idle and the other replicas hear that this one drains
     * (they send it only what no other replica holds). Then the agents are told to move, {@code
     * relay.shutdown.agents-moving-at-once} at a time (GOAWAY: each dials its new tunnel, to
     * another replica, before it closes this one); those not told yet go on serving here, for
     * clients that reach them through a peer. Once every agent has gone, the peer port closes and
     * open streams finish. At the deadline what is left closes, and this replica leaves the store.
     *
     * @param stopClients closes the client port gracefully
     * @param stopPeers closes the peer port gracefully
     */
    public void drain(Duration deadline, Runnable stopClients, Runnable stopPeers) throws InterruptedException {
        draining = true;
        agents.refuseNew();
        LOG.info(
                "draining: {} tunnel(s) with {} open stream(s); agents move in {} ms, {} at a time; the drain ends within {} s",
                agents.tunnels(),
                agents.openStreams(),
                settings.unreadyDelay().toMillis(),
                settings.agentsMovingAtOnce(),
                deadline.toSeconds());
        Thread.sleep(settings.unreadyDelay().toMillis()); // the load balancer's turn to notice, not a test wait
        // Clients move too: no new connections, idle ones close, busy ones after their response.
        stopClients.run();
        local.drain();
        Drain drain = Drain.within(deadline);
        boolean elsewhere = remote.hasOtherLiveReplica();
        if (!elsewhere) {
            agents.goAwayAll("relay replica is draining");
        }
        Moves moves = new Moves(elsewhere, stopPeers);
        drain.until(this::drained, moves);
        if (elsewhere && agents.tunnels() > 0) {
            LOG.warn(
                    "drain deadline ({} s) passed with {} agent tunnel(s) open, {} of them never told to move: closing them;"
                            + " their open streams end, and agents that had not moved yet reconnect after their backoff"
                            + " (relay.shutdown.drain-timeout)",
                    deadline.toSeconds(),
                    agents.tunnels(),
                    moves.untold);
        }
        if (!moves.peersTold) {
            stopPeerLinks(stopPeers);
        }
        agents.closeAll();
        peers.closeAll();
        if (links != null) {
            links.closeAll();
        }
        local.deregister();
    }

    /**
     * The drain's step on each turn of its wait: more agents told to move, while there is another
     * replica to move to; the peer port closed once no agent is left to wait for (at once when
     * there is nowhere to move).
     */
    private final class Moves implements Runnable {

        private final boolean elsewhere;
        private final Runnable stopPeers;
        /** Agent tunnels not told to move yet. */
        private int untold = agents.tunnels();

        private boolean peersTold;

        Moves(boolean elsewhere, Runnable stopPeers) {
            this.elsewhere = elsewhere;
            this.stopPeers = stopPeers;
        }

        @Override
        public void run() {
            if (elsewhere && untold > 0) {
                untold = agents.goAwayInTurn(settings.agentsMovingAtOnce(), "relay replica is draining");
            }
            if (!peersTold && (agents.tunnels() == 0 || !elsewhere)) {
                peersTold = true;
                stopPeerLinks(stopPeers);
            }
        }
    }

    private void stopPeerLinks(Runnable stopPeers) {
        peers.refuseNew();
        stopPeers.run();
        peers.goAwayAll("relay replica is draining");
    }

    /**
     * Agents close their old tunnel themselves once the new one is up elsewhere and the old one
     * has finished its streams (make before break). With no other replica to move to, waiting for
     * them is pointless: open streams are all that is waited for.
     */
    private boolean drained() {
        boolean streamsDone =
                agents.openStreams() + peers.openStreams() + (links == null ? 0 : links.openStreams()) == 0;
        return streamsDone && (agents.tunnels() == 0 || !remote.hasOtherLiveReplica());
    }

    @Override
    public void close() {
        remote.close();
        writer.shutdownNow();
        timer.shutdownNow();
    }

    private void sweep() {
        try {
            int swept = database.presence().sweep(SWEEP_GRACE);
            if (swept > 0) {
                LOG.info("swept {} relay replica(s) whose lease ran out", swept);
            }
        } catch (RuntimeException e) {
            LOG.debug("sweep failed: {}", e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
