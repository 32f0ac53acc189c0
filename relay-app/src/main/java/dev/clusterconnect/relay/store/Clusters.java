package dev.clusterconnect.relay.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Registered clusters and their connection status. */
public final class Clusters {

    // A DNS label: the name ends up in kubeconfig context names and host-like places.
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final int MAX_OWNER = 256;
    private static final int MAX_VERSION = 64;
    private static final String COLUMNS = "c.id, c.name, c.owner, c.created_at";
    // No replica with a live lease has a presence row for the status row's cluster (one ? : now).
    private static final String NO_LIVE_PRESENCE = "NOT EXISTS (SELECT 1 FROM tunnel_presence p"
            + " JOIN relay_instances i ON i.id = p.instance_id"
            + " WHERE p.cluster_id = cluster_status.cluster_id AND i.lease_expires_at > ?)";

    private final Jdbc jdbc;

    Clusters(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Registers a new cluster with a fresh random id, initially disconnected.
     *
     * @param owner user name of the registering caller
     * @param name a DNS label (lower-case letters, digits, '-', at most 63), unique per owner
     * @throws IllegalArgumentException if the owner is blank or the name is not a DNS label
     * @throws AlreadyExistsException if this owner already has a cluster of that name
     */
    public Cluster register(String owner, String name) {
        requireOwner(owner);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "cluster name must be a DNS label (a-z, 0-9, '-', at most 63 characters): " + name);
        }
        Cluster cluster = new Cluster(Secrets.newClusterId(), name, owner, jdbc.now());
        return jdbc.inTransaction("register cluster " + name, connection -> {
            Jdbc.update(
                    connection,
                    "INSERT INTO clusters (id, name, owner, created_at) VALUES (?, ?, ?, ?)",
                    cluster.id(),
                    cluster.name(),
                    cluster.owner(),
                    cluster.createdAt());
            Jdbc.update(
                    connection, "INSERT INTO cluster_status (cluster_id, connected) VALUES (?, FALSE)", cluster.id());
            return cluster;
        });
    }

    /** @return the cluster with this id, if registered */
    public Optional<Cluster> find(String id) {
        return jdbc.queryOne(
                "find cluster", "SELECT " + COLUMNS + " FROM clusters c WHERE c.id = ?", Clusters::cluster, id);
    }

    /** @return the owner's cluster of this name, if any */
    public Optional<Cluster> findByName(String owner, String name) {
        return jdbc.queryOne(
                "find cluster by name",
                "SELECT " + COLUMNS + " FROM clusters c WHERE c.owner = ? AND c.name = ?",
                Clusters::cluster,
                owner,
                name);
    }

    /** @return the owner's clusters, by name */
    public List<Cluster> listOwnedBy(String owner) {
        return jdbc.query(
                "list clusters",
                "SELECT " + COLUMNS + " FROM clusters c WHERE c.owner = ? ORDER BY c.name",
                Clusters::cluster,
                owner);
    }

    /**
     * Clusters the caller may use: owned, granted to the user, or granted to one of the groups.
     * Same rule as {@link Grants#isAllowed}.
     *
     * @return the clusters, by owner then name
     */
    public List<Cluster> listVisibleTo(String user, Collection<String> groups) {
        if (user == null || user.isBlank()) {
            return List.of();
        }
        AccessSql access = AccessSql.forCaller(user, groups);
        return jdbc.query(
                "list visible clusters",
                "SELECT " + COLUMNS + " FROM clusters c WHERE " + access.condition + " ORDER BY c.owner, c.name",
                Clusters::cluster,
                access.params.toArray());
    }

    /**
     * Deletes the cluster with its status, bootstrap tokens, agent keys and grants.
     *
     * @return false if there was no such cluster
     */
    public boolean delete(String id) {
        return jdbc.update("delete cluster", "DELETE FROM clusters WHERE id = ?", id) == 1;
    }

    /**
     * Records that the cluster's agent tunnel came up.
     *
     * @param agentVersion version the agent reported (at most 64 characters)
     * @param kubernetesVersion apiserver version the agent reported (at most 64 characters)
     * @return false if there is no such cluster
     */
    public boolean markConnected(String id, String agentVersion, String kubernetesVersion) {
        Instant now = jdbc.now();
        return jdbc.update(
                        "mark cluster connected",
                        "UPDATE cluster_status SET connected = TRUE, connected_since = ?, last_seen = ?,"
                                + " agent_version = ?, kubernetes_version = ? WHERE cluster_id = ?",
                        now,
                        now,
                        version(agentVersion),
                        version(kubernetesVersion),
                        id)
                == 1;
    }

    /**
     * Records a sign of life (heartbeat) from the cluster's agent.
     *
     * @return false if there is no such cluster
     */
    public boolean markSeen(String id) {
        return jdbc.update(
                        "mark cluster seen",
                        "UPDATE cluster_status SET last_seen = ? WHERE cluster_id = ?",
                        jdbc.now(),
                        id)
                == 1;
    }

    /**
     * Records that the cluster's agent tunnel went down, unless a live relay replica still holds
     * one of its tunnels (the agent moved, or another replica of it is connected elsewhere).
     *
     * @return false if there is no such cluster or it is still connected somewhere
     */
    public boolean markDisconnected(String id) {
        Instant now = jdbc.now();
        return jdbc.update(
                        "mark cluster disconnected",
                        "UPDATE cluster_status SET connected = FALSE, connected_since = NULL, last_seen = ?"
                                + " WHERE cluster_id = ? AND " + NO_LIVE_PRESENCE,
                        now,
                        id,
                        now)
                == 1;
    }

    /**
     * Marks disconnected every cluster that no live relay replica holds: at start-up and after
     * dead replicas were swept, so a "connected" left by a replica that died does not linger.
     *
     * @return how many clusters were marked connected before
     */
    public int markOrphansDisconnected() {
        return jdbc.update(
                "mark orphaned clusters disconnected",
                "UPDATE cluster_status SET connected = FALSE, connected_since = NULL" + " WHERE connected = TRUE AND "
                        + NO_LIVE_PRESENCE,
                jdbc.now());
    }

    /** @return the connection status, if the cluster is registered */
    public Optional<ClusterStatus> status(String id) {
        return jdbc.queryOne(
                "read cluster status",
                "SELECT cluster_id, connected, connected_since, last_seen, agent_version,"
                        + " kubernetes_version FROM cluster_status WHERE cluster_id = ?",
                Clusters::status,
                id);
    }

    private static void requireOwner(String owner) {
        if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER) {
            throw new IllegalArgumentException("owner must be 1 to " + MAX_OWNER + " characters");
        }
    }

    private static String version(String version) {
        if (version == null || version.isBlank()) {
            return "unknown";
        }
        return version.length() <= MAX_VERSION ? version : version.substring(0, MAX_VERSION);
    }

    private static Cluster cluster(ResultSet row) throws SQLException {
        return new Cluster(
                row.getString("id"), row.getString("name"), row.getString("owner"), Jdbc.instant(row, "created_at"));
    }

    private static ClusterStatus status(ResultSet row) throws SQLException {
        return new ClusterStatus(
                row.getString("cluster_id"),
                row.getBoolean("connected"),
                Jdbc.instant(row, "connected_since"),
                Jdbc.instant(row, "last_seen"),
                row.getString("agent_version"),
                row.getString("kubernetes_version"));
    }
}
