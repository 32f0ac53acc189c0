package dev.clusterconnect.relay.replicas;

import dev.clusterconnect.routes.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * How this relay takes part in a set of replicas ({@code relay.instance.*}, {@code relay.peer.*}).
 *
 * @param instanceId this process's id in the store: new at every start
 * @param peers whether this replica has a peer port and forwards to the others
 * @param advertisedAddress host:port where the other replicas dial its peer port; empty without peers
 */
public record ReplicaSettings(
        String instanceId,
        boolean peers,
        String listenHost,
        int port,
        String advertisedAddress,
        Path certFile,
        Path keyFile,
        Path caFile,
        Duration leaseTtl,
        Duration reconnectWait,
        Duration unreadyDelay,
        int agentsMovingAtOnce) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads and checks the keys; problems are reported with all the others by {@link Settings#validate}. */
    public static ReplicaSettings from(Settings settings, boolean postgres) {
        String id = settings.get("relay.instance.id", "");
        if (id.isBlank()) {
            id = hostName() + "-" + HexFormat.of().toHexDigits((byte) RANDOM.nextInt())
                    + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
        } else if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            settings.problem("relay.instance.id must be 1 to 100 of A-Z a-z 0-9 . _ -, got '" + id + "'");
        }
        boolean peers = Boolean.parseBoolean(settings.get("relay.peer.enabled", "false"));
        String host = settings.get("relay.peer.listen.host", "0.0.0.0");
        int port = settings.integer("relay.peer.listen.port", 8444);
        Duration ttl = settings.duration("relay.peer.lease-ttl", Duration.ofSeconds(10));
        Duration wait = settings.duration("relay.tunnel.reconnect-wait", Duration.ofSeconds(5));
        Duration unready = settings.duration("relay.shutdown.unready-delay", Duration.ZERO);
        int movingAtOnce = settings.integer("relay.shutdown.agents-moving-at-once", 200);
        if (movingAtOnce < 1) {
            settings.problem("relay.shutdown.agents-moving-at-once must be at least 1, got " + movingAtOnce);
        }
        String advertise = settings.get("relay.peer.advertise-host", "");
        Path cert = null;
        Path key = null;
        Path ca = null;
        if (peers) {
            cert = settings.file("relay.peer.tls.cert-file").orElse(null);
            key = settings.file("relay.peer.tls.key-file").orElse(null);
            ca = settings.file("relay.peer.tls.ca-file").orElse(null);
            if (cert == null || key == null || ca == null) {
                settings.problem(
                        "relay.peer.enabled needs relay.peer.tls.cert-file, key-file and ca-file: replicas authenticate each other");
            }
            if (!postgres) {
                settings.problem(
                        "relay.peer.enabled needs relay.db.url on PostgreSQL: the replicas share their presence there");
            }
            if (port == 0) {
                settings.problem("relay.peer.listen.port must be a fixed port: the other replicas dial it");
            }
            if (advertise.isBlank()) {
                advertise = localAddress();
            }
        }
        if (ttl.toMillis() < 300) {
            settings.problem("relay.peer.lease-ttl must be at least 300ms");
        }
        String address = peers ? (advertise.contains(":") ? "[" + advertise + "]" : advertise) + ":" + port : "";
        return new ReplicaSettings(id, peers, host, port, address, cert, key, ca, ttl, wait, unready, movingAtOnce);
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "relay";
        }
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
