package dev.clusterconnect.routes.tunnel;

import java.time.Duration;

/**
 * The limits and timers of one tunnel connection. Both sides must agree on the window; the rest
 * is each side's own business.
 *
 * @param initialWindow credit per stream and direction (protocol v1: 256 KiB)
 * @param maxDataBytes largest DATA payload sent
 * @param maxHeaderBytes largest encoded request or response head
 * @param heartbeatInterval how often a PING is sent
 * @param heartbeatTimeout silence after which the peer is taken for dead
 */
public record TunnelSettings(
        int initialWindow,
        int maxDataBytes,
        int maxHeaderBytes,
        Duration heartbeatInterval,
        Duration heartbeatTimeout) {

    /** The WebSocket subprotocol of this version. */
    public static final String SUBPROTOCOL = "clusterconnect.v1";

    public static final int V1_WINDOW = 256 * 1024;

    public static TunnelSettings defaults() {
        return new TunnelSettings(V1_WINDOW, 64 * 1024, 64 * 1024, Duration.ofSeconds(15), Duration.ofSeconds(45));
    }

    public TunnelSettings withHeartbeat(Duration interval, Duration timeout) {
        return new TunnelSettings(initialWindow, maxDataBytes, maxHeaderBytes, interval, timeout);
    }

    /** The largest WebSocket message either side may send: a head or a DATA frame, plus framing. */
    public int maxFrameBytes() {
        return Math.max(maxDataBytes, maxHeaderBytes) + 64;
    }
}
