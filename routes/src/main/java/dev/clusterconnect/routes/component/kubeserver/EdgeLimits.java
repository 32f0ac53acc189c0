package dev.clusterconnect.routes.component.kubeserver;

import java.time.Duration;

/**
 * What one listening socket grants each client connection: how long it may take to send a
 * request head, how long it may sit idle between requests, how long a request body may pause
 * between two reads, and how many connections one address may hold. A zero turns that limit off.
 */
record EdgeLimits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, int maxConnectionsPerAddress) {

    /**
     * Generous for kubectl, which sends its head at once and reuses a connection within seconds.
     * No per-address cap unless asked for: the agents of many clusters may share one address (a
     * corporate proxy or NAT in front of them, a load balancer in front of the relay). The body
     * timeout is nginx's {@code client_body_timeout}: 60 s between two reads, not for the whole body.
     */
    static final EdgeLimits DEFAULTS =
            new EdgeLimits(Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(60), 0);

    EdgeLimits {
        if (headerTimeout.isNegative()
                || idleTimeout.isNegative()
                || bodyTimeout.isNegative()
                || maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("edge limits may not be negative: " + headerTimeout + ", " + idleTimeout
                    + ", " + bodyTimeout + ", " + maxConnectionsPerAddress);
        }
    }
}
