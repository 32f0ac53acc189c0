package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * A public key an agent signs with.
 *
 * @param clusterId the cluster whose agent holds the private key
 * @param kid key id, unique within the cluster
 * @param jwk the public key as compact JWK JSON
 * @param createdAt when it was added
 * @param revokedAt when it was revoked; null while active
 */
public record AgentKey(String clusterId, String kid, String jwk, Instant createdAt, Instant revokedAt) {

    /** @return true until the key is revoked */
    public boolean isActive() {
        return revokedAt == null;
    }
}
