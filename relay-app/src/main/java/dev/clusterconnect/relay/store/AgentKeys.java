package dev.clusterconnect.relay.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Agents' public keys, per cluster. Rotation is {@link #rotate}: add the new key and revoke
 * the old one in one transaction, so the cluster is never left with both or neither.
 */
public final class AgentKeys {

    // Key ids travel in JWT headers and URLs: keep them printable and short.
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String COLUMNS = "cluster_id, kid, jwk, created_at, revoked_at";

    private final Jdbc jdbc;
    private final BootstrapTokens bootstrapTokens;

    AgentKeys(Jdbc jdbc, BootstrapTokens bootstrapTokens) {
        this.jdbc = jdbc;
        this.bootstrapTokens = bootstrapTokens;
    }

    /**
     * Adds an active public key for the cluster's agent.
     *
     * @param kid key id: 1 to 128 of A-Z a-z 0-9 . _ : -
     * @param publicJwk the public key as JWK JSON; private members are refused
     * @throws IllegalArgumentException if the kid or the JWK is malformed or private
     * @throws AlreadyExistsException if the cluster already has (or had) a key with this kid
     * @throws UnknownClusterException if the cluster is not registered
     */
    public AgentKey add(String clusterId, String kid, String publicJwk) {
        AgentKey key = newKey(clusterId, kid, publicJwk);
        jdbc.withConnection("add agent key " + kid, connection -> insert(connection, key));
        return key;
    }

    /**
     * An agent's enrolment: consumes the bootstrap token and adds the key in one transaction, so
     * a refused key (a kid the cluster has already) leaves the token usable for another try.
     *
     * @throws BootstrapTokenRejectedException if the token is refused; nothing was added
     * @throws IllegalArgumentException as {@link #add}; checked first, the token stays unused
     * @throws AlreadyExistsException as {@link #add}; the token stays unused
     */
    public AgentKey enrol(String clusterId, String bootstrapToken, String kid, String publicJwk)
            throws BootstrapTokenRejectedException {
        AgentKey key = newKey(clusterId, kid, publicJwk);
        return bootstrapTokens.consumeWith(clusterId, bootstrapToken, connection -> insert(connection, key));
    }

    /**
     * Adds the new key and revokes the old one, atomically.
     *
     * @return the new key
     * @throws IllegalStateException if the old key is not an active key of this cluster
     * @throws AlreadyExistsException if the new kid is taken in this cluster
     */
    public AgentKey rotate(String clusterId, String oldKid, String newKid, String newPublicJwk) {
        AgentKey key = newKey(clusterId, newKid, newPublicJwk);
        return jdbc.inTransaction("rotate agent key " + oldKid, connection -> {
            if (revoke(connection, clusterId, oldKid, key.createdAt()) != 1) {
                throw new IllegalStateException("no active key " + oldKid + " for cluster " + clusterId);
            }
            return insert(connection, key);
        });
    }

    /** @return every key of the cluster, revoked ones included, oldest first */
    public List<AgentKey> list(String clusterId) {
        return jdbc.query(
                "list agent keys",
                "SELECT " + COLUMNS + " FROM agent_keys WHERE cluster_id = ? ORDER BY created_at, kid",
                AgentKeys::key,
                clusterId);
    }

    /** @return the cluster's keys not revoked, oldest first */
    public List<AgentKey> listActive(String clusterId) {
        return jdbc.query(
                "list active agent keys",
                "SELECT " + COLUMNS + " FROM agent_keys WHERE cluster_id = ? AND revoked_at IS NULL"
                        + " ORDER BY created_at, kid",
                AgentKeys::key,
                clusterId);
    }

    /** @return the key with this kid, revoked or not */
    public Optional<AgentKey> find(String clusterId, String kid) {
        return jdbc.queryOne(
                "find agent key",
                "SELECT " + COLUMNS + " FROM agent_keys WHERE cluster_id = ? AND kid = ?",
                AgentKeys::key,
                clusterId,
                kid);
    }

    /** @return the key with this kid if it is active: the lookup for verifying a signature */
    public Optional<AgentKey> findActive(String clusterId, String kid) {
        return find(clusterId, kid).filter(AgentKey::isActive);
    }

    /**
     * Revokes the key; it stays listed, with its revocation time.
     *
     * @return false if there is no such active key
     */
    public boolean revoke(String clusterId, String kid) {
        Instant now = jdbc.now();
        return jdbc.withConnection("revoke agent key " + kid, connection -> revoke(connection, clusterId, kid, now))
                == 1;
    }

    private AgentKey newKey(String clusterId, String kid, String publicJwk) {
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("key id must be 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        return new AgentKey(clusterId, kid, PublicJwk.validate(kid, publicJwk), jdbc.now(), null);
    }

    private static AgentKey insert(Connection connection, AgentKey key) throws SQLException {
        Jdbc.update(
                connection,
                "INSERT INTO agent_keys (cluster_id, kid, jwk, created_at) VALUES (?, ?, ?, ?)",
                key.clusterId(),
                key.kid(),
                key.jwk(),
                key.createdAt());
        return key;
    }

    private static int revoke(Connection connection, String clusterId, String kid, Instant now) throws SQLException {
        return Jdbc.update(
                connection,
                "UPDATE agent_keys SET revoked_at = ? WHERE cluster_id = ? AND kid = ?" + " AND revoked_at IS NULL",
                now,
                clusterId,
                kid);
    }

    private static AgentKey key(ResultSet row) throws SQLException {
        return new AgentKey(
                row.getString("cluster_id"),
                row.getString("kid"),
                row.getString("jwk"),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "revoked_at"));
    }
}
