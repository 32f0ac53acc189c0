package dev.clusterconnect.relay.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Which relay replicas are alive (leases) and which of them hold each cluster's tunnels. Every
 * change is announced on the PostgreSQL channel {@value #CHANNEL} in the same transaction, so a
 * listener never sees a notification for a change it cannot read yet; on H2 (one replica) there
 * is nobody to tell.
 */
public final class Presence {

    /** The LISTEN/NOTIFY channel. Payloads: {@code + cluster instance}, {@code - cluster instance}, {@code i instance}. */
    public static final String CHANNEL = "clusterconnect_presence";

    private static final String INSTANCE_COLUMNS = "id, peer_address, started_at, lease_expires_at, draining";

    private final Jdbc jdbc;
    private final boolean notifies;

    Presence(Jdbc jdbc, boolean notifies) {
        this.jdbc = jdbc;
        this.notifies = notifies;
    }

    /** The store's clock, which every lease is written and judged by. */
    public Instant now() {
        return jdbc.now();
    }

    /**
     * Registers a starting replica with a fresh lease. A row with the same id belongs to an earlier
     * process of that id (a fixed {@code relay.instance.id} after a crash): it is taken over, and
     * the presence that process left behind goes with it.
     */
    public void register(String instanceId, String peerAddress, Duration ttl) {
        Instant now = jdbc.now();
        jdbc.inTransaction("register relay instance", connection -> {
            Jdbc.update(connection, "DELETE FROM relay_instances WHERE id = ?", instanceId);
            Jdbc.update(
                    connection,
                    "INSERT INTO relay_instances (" + INSTANCE_COLUMNS + ") VALUES (?, ?, ?, ?, FALSE)",
                    instanceId,
                    peerAddress,
                    now,
                    now.plus(ttl));
            announce(connection, "i " + instanceId);
            return null;
        });
    }

    /**
     * Renews a replica's lease and records whether it drains.
     *
     * @return false when the row is gone (swept after a long store outage): register again
     */
    public boolean renew(String instanceId, Duration ttl, boolean draining, boolean announce) {
        return jdbc.inTransaction("renew relay lease", connection -> {
            int rows = Jdbc.update(
                    connection,
                    "UPDATE relay_instances SET lease_expires_at = ?, draining = ? WHERE id = ?",
                    jdbc.now().plus(ttl),
                    draining,
                    instanceId);
            if (rows == 1 && announce) {
                announce(connection, "i " + instanceId);
            }
            return rows == 1;
        });
    }

    /** A replica that stopped: its row and all its presence go. */
    public void deregister(String instanceId) {
        jdbc.inTransaction("deregister relay instance", connection -> {
            Jdbc.update(connection, "DELETE FROM relay_instances WHERE id = ?", instanceId);
            announce(connection, "i " + instanceId);
            return null;
        });
    }

    /** Records that the replica holds a tunnel of the cluster; false for an unregistered cluster. */
    public boolean add(String clusterId, String instanceId) {
        try {
            return jdbc.inTransaction("record tunnel presence", connection -> {
                Jdbc.update(
                        connection,
                        "DELETE FROM tunnel_presence WHERE cluster_id = ? AND instance_id = ?",
                        clusterId,
                        instanceId);
                Jdbc.update(
                        connection,
                        "INSERT INTO tunnel_presence (cluster_id, instance_id, since) VALUES (?, ?, ?)",
                        clusterId,
                        instanceId,
                        jdbc.now());
                announce(connection, "+ " + clusterId + " " + instanceId);
                return true;
            });
        } catch (UnknownClusterException e) {
            return false;
        }
    }

    /** Records that the replica holds no tunnel of the cluster any more. */
    public void remove(String clusterId, String instanceId) {
        jdbc.inTransaction("remove tunnel presence", connection -> {
            Jdbc.update(
                    connection,
                    "DELETE FROM tunnel_presence WHERE cluster_id = ? AND instance_id = ?",
                    clusterId,
                    instanceId);
            announce(connection, "- " + clusterId + " " + instanceId);
            return null;
        });
    }

    /**
     * Makes the store say exactly what the replica holds: after a store outage, when changes could
     * not be written, or a registration that was swept. Registers the replica if its row is gone.
     */
    public void replace(
            String instanceId, String peerAddress, Duration ttl, boolean draining, Collection<String> clusterIds) {
        Instant now = jdbc.now();
        jdbc.inTransaction("rebuild tunnel presence", connection -> {
            if (Jdbc.update(
                            connection,
                            "UPDATE relay_instances SET lease_expires_at = ?, draining = ? WHERE id = ?",
                            now.plus(ttl),
                            draining,
                            instanceId)
                    == 0) {
                Jdbc.update(
                        connection,
                        "INSERT INTO relay_instances (" + INSTANCE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                        instanceId,
                        peerAddress,
                        now,
                        now.plus(ttl),
                        draining);
            }
            Jdbc.update(connection, "DELETE FROM tunnel_presence WHERE instance_id = ?", instanceId);
            for (String clusterId : clusterIds) {
                // A cluster deleted meanwhile has no row to refer to: leave it out.
                Jdbc.update(
                        connection,
                        "INSERT INTO tunnel_presence (cluster_id, instance_id, since)"
                                + " SELECT id, ?, ? FROM clusters WHERE id = ?",
                        instanceId,
                        now,
                        clusterId);
            }
            announce(connection, "i " + instanceId);
            return null;
        });
    }

    /** Deletes replicas whose lease ran out more than {@code grace} ago, with their presence. */
    public int sweep(Duration grace) {
        return jdbc.update(
                "sweep relay instances",
                "DELETE FROM relay_instances WHERE lease_expires_at < ?",
                jdbc.now().minus(grace));
    }

    /** Every registered replica, live or not. */
    public List<RelayInstance> instances() {
        return jdbc.query(
                "list relay instances",
                "SELECT " + INSTANCE_COLUMNS + " FROM relay_instances ORDER BY id",
                Presence::instance);
    }

    /** Which replicas hold each cluster, for every replica in the store. */
    public Map<String, List<String>> holdersByCluster() {
        return jdbc.withConnection("list tunnel presence", connection -> {
            Map<String, List<String>> byCluster = new java.util.HashMap<>();
            for (String[] row : Jdbc.query(connection, "SELECT cluster_id, instance_id FROM tunnel_presence", r ->
                    new String[] {r.getString(1), r.getString(2)})) {
                byCluster
                        .computeIfAbsent(row[0], c -> new java.util.ArrayList<>())
                        .add(row[1]);
            }
            return byCluster;
        });
    }

    /** The live replicas that hold the cluster's tunnels, by id. */
    public List<String> liveHolders(String clusterId) {
        return jdbc.query(
                "read tunnel presence",
                "SELECT p.instance_id FROM tunnel_presence p"
                        + " JOIN relay_instances i ON i.id = p.instance_id WHERE p.cluster_id = ? AND i.lease_expires_at > ?"
                        + " ORDER BY p.instance_id",
                row -> row.getString(1),
                clusterId,
                jdbc.now());
    }

    private void announce(Connection connection, String payload) throws SQLException {
        if (notifies) {
            Jdbc.query(connection, "SELECT pg_notify(?, ?)", row -> null, CHANNEL, payload);
        }
    }

    private static RelayInstance instance(ResultSet row) throws SQLException {
        return new RelayInstance(
                row.getString("id"),
                row.getString("peer_address"),
                Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "lease_expires_at"),
                row.getBoolean("draining"));
    }
}
