package dev.clusterconnect.routes.component.kubeserver;

import java.time.Duration;

/**
 * What one listening socket grants each client connection: how long it may take to send a
 * request head, how long it may sit idle between requests, and how many connections one address
 * may hold. A zero turns that limit off.
 */
record EdgeLimits(Duration headerTimeout, Duration idleTimeout, int maxConnectionsPerAddress) {

    /**
     * Generous for kubectl, which sends its head at once and reuses a connection within seconds.
     * No per-address cap unless asked for: the agents of many clusters may share one address (a
     * corporate proxy or NAT in front of them, a load balancer in front of the relay).
     */
    static final EdgeLimits DEFAULTS = new EdgeLimits(Duration.ofSeconds(30), Duration.ofSeconds(120), 0);

    EdgeLimits {
        if (headerTimeout.isNegative() || idleTimeout.isNegative() || maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("edge limits may not be negative: " + headerTimeout + ", " + idleTimeout
                    + ", " + maxConnectionsPerAddress);
        }
    }
}
