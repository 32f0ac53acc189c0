package dev.clusterconnect.sandbox.stream;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * Where a pod's ports lead. A port mapped to an address is forwarded there over TCP; every other
 * port is served by an in-process echo that sends each byte back unchanged.
 */
public final class PortForwardTargets {

    private final Map<Integer, InetSocketAddress> forwards;

    /** Pod port to the TCP address that serves it. */
    public PortForwardTargets(Map<Integer, InetSocketAddress> forwards) {
        this.forwards = Map.copyOf(forwards);
    }

    /** The TCP address behind a pod port, or empty for the echo service. */
    public Optional<InetSocketAddress> target(int podPort) {
        return Optional.ofNullable(forwards.get(podPort));
    }
}
