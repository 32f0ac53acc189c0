package dev.clusterconnect.relay.store;

import java.time.Instant;

/**
 * A relay replica as the store knows it.
 *
 * @param peerAddress host:port of its peer port; empty when it has none
 * @param leaseExpiresAt after this, without a renewal, the replica is taken for dead
 * @param draining it is stopping: its agents are moving to other replicas
 */
public record RelayInstance(
        String id, String peerAddress, Instant startedAt, Instant leaseExpiresAt, boolean draining) {

    public boolean isLive(Instant now) {
        return leaseExpiresAt.isAfter(now);
    }
}
