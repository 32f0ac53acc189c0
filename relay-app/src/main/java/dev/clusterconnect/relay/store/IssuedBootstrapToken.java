package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * A bootstrap token just issued. The token value exists only here: the store keeps its hash,
 * so hand it to the user once and drop it.
 *
 * @param clusterId the cluster the token enrols an agent for
 * @param token the secret value (43 URL-safe characters); never log it
 * @param expiresAt after this instant the token is refused
 */
public record IssuedBootstrapToken(String clusterId, String token, Instant expiresAt) {

    /** Leaves the token out, so the record can be logged by mistake without harm. */
    @Override
    public String toString() {
        return "IssuedBootstrapToken[clusterId=" + clusterId + ", token=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
