package dev.clusterconnect.relay.store;

import dev.clusterconnect.relay.store.BootstrapTokenRejectedException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One-time tokens an agent presents once to enrol for a cluster. Only their SHA-256 is
 * stored; the value is returned once, by {@link #issue}.
 */
public final class BootstrapTokens {

    private final Jdbc jdbc;

    BootstrapTokens(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Issues a new token for the cluster. Earlier unused tokens stay valid until they expire.
     *
     * @param ttl how long the token may be used; positive
     * @throws UnknownClusterException if the cluster is not registered
     */
    public IssuedBootstrapToken issue(String clusterId, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        String token = Secrets.newToken();
        Instant now = jdbc.now();
        Instant expiresAt = now.plus(ttl);
        jdbc.update(
                "issue bootstrap token",
                "INSERT INTO bootstrap_tokens (token_hash, cluster_id, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?)",
                Secrets.hash(token),
                clusterId,
                now,
                expiresAt);
        return new IssuedBootstrapToken(clusterId, token, expiresAt);
    }

    /**
     * Consumes the token: marks it used, so that no one can use it again. Of any number of
     * concurrent calls with the same token, exactly one succeeds; the rest see
     * {@link Reason#ALREADY_USED}.
     *
     * @throws BootstrapTokenRejectedException if the token is unknown for this cluster, already
     *     used, or expired
     */
    public void consume(String clusterId, String token) throws BootstrapTokenRejectedException {
        consumeWith(clusterId, token, connection -> null);
    }

    /**
     * Consumes the token and runs the work in the same transaction. If the work throws, the
     * token stays unused: a refusal of what the token was meant to pay for does not burn it.
     *
     * @return what the work returned
     * @throws BootstrapTokenRejectedException as {@link #consume}; the work did not run
     */
    <T> T consumeWith(String clusterId, String token, Jdbc.Work<T> work) throws BootstrapTokenRejectedException {
        if (clusterId == null || token == null || token.isEmpty()) {
            throw new BootstrapTokenRejectedException(String.valueOf(clusterId), Reason.UNKNOWN);
        }
        String hash = Secrets.hash(token);
        Instant now = jdbc.now();
        try {
            return jdbc.inTransaction("consume bootstrap token", connection -> {
                // One conditional UPDATE is the whole decision: the database serialises writers on the
                // row, and a loser re-checks "used_at IS NULL" once the winner commits (matching 0) or
                // rolls back (matching 1: the token is still there to use).
                int consumed = Jdbc.update(
                        connection,
                        "UPDATE bootstrap_tokens SET used_at = ? WHERE token_hash = ? AND cluster_id = ?"
                                + " AND used_at IS NULL AND expires_at > ?",
                        now,
                        hash,
                        clusterId,
                        now);
                if (consumed != 1) {
                    throw new NotConsumed();
                }
                return work.run(connection);
            });
        } catch (NotConsumed e) {
            throw new BootstrapTokenRejectedException(clusterId, whyRefused(clusterId, hash, now));
        }
    }

    /**
     * Deletes tokens whose lifetime has ended, used or not. Afterwards such a token is refused
     * as {@link Reason#UNKNOWN} instead of {@link Reason#EXPIRED} or {@link Reason#ALREADY_USED}.
     *
     * @return how many were deleted
     */
    public int deleteExpired() {
        return jdbc.update(
                "delete expired bootstrap tokens", "DELETE FROM bootstrap_tokens WHERE expires_at <= ?", jdbc.now());
    }

    private Reason whyRefused(String clusterId, String hash, Instant now) {
        Optional<Reason> reason = jdbc.queryOne(
                "read bootstrap token",
                "SELECT used_at, expires_at FROM bootstrap_tokens WHERE token_hash = ? AND cluster_id = ?",
                row -> {
                    if (Jdbc.instant(row, "used_at") != null) {
                        return Reason.ALREADY_USED;
                    }
                    // Unused and unexpired cannot have failed the UPDATE above; answer UNKNOWN rather
                    // than a reason that would be false.
                    return Jdbc.instant(row, "expires_at").isAfter(now) ? Reason.UNKNOWN : Reason.EXPIRED;
                },
                hash,
                clusterId);
        return reason.orElse(Reason.UNKNOWN);
    }

    /** Leaves the transaction when the UPDATE matched nothing; the reason is read after it. */
    private static final class NotConsumed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotConsumed() {
            super(null, null, false, false);
        }
    }
}
